const preset = require('../../jest.preset.cjs');

// hyparquet and its codecs ship as ES modules only. Node requires them as they are, but jest's module system does
// not, so jest transpiles these packages to CommonJS with the same SWC settings as the sources; every other
// package stays untransformed.
const ES_MODULE_PACKAGES = ['hyparquet', 'hyparquet-compressors', 'hysnappy'];
const [tsPattern, swcTransform] = Object.entries(preset.transform)[0];

module.exports = {
  ...preset,
  displayName: 'ml',
  rootDir: __dirname,
  testMatch: ['<rootDir>/src/**/*.spec.ts'],
  transform: {
    [tsPattern]: swcTransform,
    [`/node_modules/(${ES_MODULE_PACKAGES.join('|')})/.+\\.js$`]: swcTransform,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ES_MODULE_PACKAGES.join('|')})/)`],
};
