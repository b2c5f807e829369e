/** Jest runs the TypeScript sources as ES modules through ts-jest. */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json', diagnostics: { ignoreCodes: [151002] } }],
  },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  // Real-world exports that are not in the repository: their own run, npm run test:conformance.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/__tests__/conformance/'],
  testTimeout: 30000,
  // npm run coverage: every source file is listed, whether a test loaded it or not.
  collectCoverageFrom: ['<rootDir>/src/**/*.ts'],
  // Most suites wait on the processes and servers they start, so two workers keep both cores busy
  // (jest's default on two cores is one).
  maxWorkers: 2,
};
