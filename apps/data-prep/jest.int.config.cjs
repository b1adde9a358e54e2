module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'data-prep (integration)',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
};
