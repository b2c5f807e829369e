/** The long torture runs (npm run test:stress): real processes, crashes and contention against the built binary. */
import base from './jest.config.js';

export default {
  ...base,
  testMatch: ['<rootDir>/stress/**/*.test.ts'],
  // Each file bounds its own work; this only stops a hung run.
  testTimeout: 240000,
  // The files compete for the same two cores; one at a time keeps each within its own bounds.
  maxWorkers: 1,
};
