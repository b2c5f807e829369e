/** Email and web addresses: the one check of each, for comments, settings and the user's own details. */
import * as z from './zod.js';
import { once } from './once.js';

const emailSchema = once(() => z.email());
// Hostnames rather than domains, so http://localhost and http://192.0.2.1 are accepted too, and IPv6
// addresses in their brackets (http://[::1]:4000/).
const urlSchema = once(() =>
  z.url({ protocol: /^https?$/, hostname: new RegExp(`${z.regexes.hostname.source}|^\\[[0-9a-f:.]+\\]$`, 'i') }),
);

/** Whether text is a plausible email address. */
export function isValidEmail(text: string): boolean {
  return emailSchema().safeParse(text).success;
}

/** Whether text is an absolute http or https address with a host. */
export function isValidUrl(text: string): boolean {
  return /^https?:\/\//i.test(text) && urlSchema().safeParse(text).success;
}
