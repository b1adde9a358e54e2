module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'registry',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
