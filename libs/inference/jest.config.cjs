module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'inference',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
