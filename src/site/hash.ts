import { createHash } from 'node:crypto';

/** The sha256 hex digest of text or bytes: the identity incremental builds compare. */
export function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}
