module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'inference',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // onnxruntime-node's tensors are typed arrays of the host realm (see the environment).
  testEnvironment: '<rootDir>/../../tools/jest/host-typed-arrays-environment.cjs',
};
