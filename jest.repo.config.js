module.exports = {
  ...require('./jest.preset.js'),
  rootDir: __dirname,
  testMatch: ['<rootDir>/tests/**/*.spec.ts'],
  // The secrets scan: suites that start the platform record their logs, bodies and secrets into
  // the run's folder (tests/secrets/run-record.ts); the teardown scans them and fails on a find.
  globalSetup: '<rootDir>/tests/secrets/global-setup.ts',
  globalTeardown: '<rootDir>/tests/secrets/global-teardown.ts',
};
