module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'model-registry',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
};
