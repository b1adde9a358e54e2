module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'local-runtime (integration)',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
};
