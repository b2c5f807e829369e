/** Where the conformance run finds the real-world WordPress exports; jest.conformance.config.js resolves and sets it. */
import path from 'node:path';

function testdata(): string {
  const dir = process.env['TERMPRESS_TESTDATA'];
  if (dir === undefined || dir === '') {
    throw new Error('TERMPRESS_TESTDATA is not set: run these files with `npm run test:conformance`.');
  }
  return dir;
}

/** The folder of WordPress exports (WXR) in the testdata folder. */
export const SAMPLES = path.join(testdata(), 'wxr');

/** The path of one real-world WordPress export. */
export function sample(name: string): string {
  return path.join(SAMPLES, name);
}
