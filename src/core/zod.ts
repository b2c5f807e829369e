import { config } from 'zod';

// zod compiles each object schema into a function with `new Function` the first time it parses. A
// command parses a few values once, for which compiling costs more than it saves (measured: the first
// parse of a post takes about three times as long, and a thousand more parse no faster). The schemas of
// core and store import z from here, so that it is set before any of them is made.
config({ jitless: true });

// Imported as `import * as z from './zod.js'`: the bundler then keeps only the parts of zod that are
// used. zod's own `z` object holds every locale's messages (about 600 kB the CLI would compile on
// every command).
export * from 'zod';
