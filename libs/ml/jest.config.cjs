module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'ml',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
