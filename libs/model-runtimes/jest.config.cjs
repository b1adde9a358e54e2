module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'model-runtimes',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // onnxruntime-node's tensors are typed arrays of the host realm (see the environment).
  testEnvironment: '<rootDir>/../../tools/jest/host-typed-arrays-environment.cjs',
};
