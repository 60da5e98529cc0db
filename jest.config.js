/** @type {import('jest').Config} */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Native training and ffmpeg integration tests are real work on a 2-core machine.
  testTimeout: 120000,
  // Tests that train or encode compete for the same two cores; run files one at a time.
  maxWorkers: 1,
  // Temporary folders of the run go under one folder, removed at the end.
  globalSetup: '<rootDir>/test/global-setup.js',
  globalTeardown: '<rootDir>/test/global-teardown.js',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
};
