import { hash } from 'node:crypto';

/** The sha256 hex digest of text or bytes: the identity incremental builds compare. */
export function sha256(data: string | Uint8Array): string {
  // crypto.hash (Node 20.12+) makes no Hash object: several times faster for the thousands of small keys of a build.
  return hash('sha256', data, 'hex');
}
