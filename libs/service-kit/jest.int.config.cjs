module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'service-kit (integration)',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
};
