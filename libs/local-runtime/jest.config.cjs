module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'local-runtime',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
