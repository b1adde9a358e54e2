module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'serving',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
