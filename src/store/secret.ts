import { randomBytes } from 'node:crypto';
import { StorageError } from '../core/errors.js';
import { displayPath } from './layout.js';
import type { BlogStore } from './store.js';

const SECRET_BYTES = 32;

/**
 * The blog's secret, made on first use: 32 random bytes in .termpress/secret, readable by the
 * owner only. .termpress/ is ignored by git and is never part of the site, so a clone of the blog
 * makes its own. It is read through the blog's folder (a link there is refused: a clone could
 * otherwise point it at a file whose bytes its author knows) and made under the blog's lock, so
 * that two processes starting at once agree on one secret.
 */
export async function blogSecret(store: BlogStore): Promise<Buffer> {
  const existing = await readSecret(store);
  if (existing) return existing;
  return store.withLock(async () => {
    const again = await readSecret(store);
    if (again) return again;
    const fresh = randomBytes(SECRET_BYTES);
    await store.files.write(store.layout.secretFile, `${fresh.toString('hex')}\n`, { mode: 0o600 });
    return fresh;
  });
}

async function readSecret(store: BlogStore): Promise<Buffer | null> {
  const file = store.layout.secretFile;
  const text = await store.files.readText(file);
  if (text === null) return null;
  const hex = text.trim();
  if (!/^[0-9a-f]{64}$/.test(hex)) {
    throw new StorageError(`${displayPath(file)} is damaged: delete it and a new secret is made (open comment forms then need a reload).`);
  }
  return Buffer.from(hex, 'hex');
}
