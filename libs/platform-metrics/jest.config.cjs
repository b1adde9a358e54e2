module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'platform-metrics',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
