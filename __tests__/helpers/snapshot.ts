import { createHash } from 'node:crypto';
import { lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';

/** Every entry under a folder, links not followed: path -> "folder", "link -> target" or the file's hash. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (current: string) => {
    for (const name of readdirSync(current).sort()) {
      const file = path.join(current, name);
      const rel = path.relative(dir, file);
      const stat = lstatSync(file);
      if (stat.isSymbolicLink()) out[rel] = `link -> ${readlinkSync(file)}`;
      else if (stat.isDirectory()) {
        out[rel] = 'folder';
        walk(file);
      } else out[rel] = createHash('sha256').update(readFileSync(file)).digest('hex');
    }
  };
  walk(dir);
  return out;
}
