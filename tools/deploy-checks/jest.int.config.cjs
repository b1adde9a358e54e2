// Deploy checks against real processes: KEDA key names in a real Redis, and the chart-driven local run.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'deploy-checks (integration)',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  globalSetup: '<rootDir>/jest.global-setup.ts',
  testTimeout: 300000,
};
