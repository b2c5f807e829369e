/**
 * The conformance run (npm run test:conformance): the importer against real-world WordPress exports that are
 * not part of this repository (their licences differ). They live in TERMPRESS_TESTDATA, by default the
 * ../shared/testdata folder beside the clone; without that default folder the run says so and passes with
 * nothing run.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import base from './jest.config.js';

const testdata = process.env.TERMPRESS_TESTDATA
  ? path.resolve(process.env.TERMPRESS_TESTDATA)
  : path.resolve(import.meta.dirname, '../shared/testdata');
const present = existsSync(path.join(testdata, 'wxr'));

if (!present && process.env.TERMPRESS_TESTDATA) {
  // Asked for by name: a mistyped path must not pass as a skipped run.
  throw new Error(
    `TERMPRESS_TESTDATA=${process.env.TERMPRESS_TESTDATA}: no wxr/ folder in ${testdata}; point it at a testdata folder holding wxr/, or unset it.`,
  );
}
if (present) {
  // The test workers inherit the environment: one resolved path for every file.
  process.env.TERMPRESS_TESTDATA = testdata;
} else {
  console.log(
    `Conformance run skipped: no WordPress exports at ${path.join(testdata, 'wxr')}. ` +
      'Set TERMPRESS_TESTDATA to a testdata folder (one holding wxr/) to run it.',
  );
}

export default {
  ...base,
  testMatch: ['<rootDir>/__tests__/conformance/**/*.test.ts'],
  // An empty testMatch would fall back to jest's default and run every file; ignoring the folder runs none.
  testPathIgnorePatterns: present ? ['/node_modules/'] : ['/node_modules/', '<rootDir>/__tests__/conformance/'],
  passWithNoTests: true,
};
