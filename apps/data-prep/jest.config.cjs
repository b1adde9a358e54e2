module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'data-prep',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
