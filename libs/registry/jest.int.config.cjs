module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'registry (integration)',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.int-spec.ts'],
  testTimeout: 60000,
  // The importer runs models on onnxruntime-node, whose tensors are typed arrays of the host realm (see the environment).
  testEnvironment: '<rootDir>/../../tools/jest/host-typed-arrays-environment.cjs',
};
