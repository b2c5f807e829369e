import { z } from 'zod';

// zod compiles each object schema into a function with `new Function` the first time it parses. A
// command parses a few values once, for which compiling costs more than it saves (measured: the first
// parse of a post takes about three times as long, and a thousand more parse no faster). The schemas of
// core and store import z from here, so that it is set before any of them is made.
z.config({ jitless: true });

export { z };
