// Static deploy checks: chart lint/render/schema validation, policies, config parity, compose, shellcheck.
module.exports = {
  ...require('../../jest.preset.cjs'),
  displayName: 'deploy-checks',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  // Builds the pinned Go tools and the offline Kubernetes/CRD schemas once (cached under .tools/).
  globalSetup: '<rootDir>/jest.global-setup.ts',
  testTimeout: 120000,
};
