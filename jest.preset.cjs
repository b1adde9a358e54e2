// Shared jest settings: SWC transpiles with the workspace .swcrc (decorator metadata for Nest DI); tsconfig paths resolve libs.
const fs = require('node:fs');
const path = require('node:path');
const { compilerOptions } = require('./tsconfig.base.json');

const moduleNameMapper = Object.fromEntries(
  Object.entries(compilerOptions.paths).map(([alias, [target]]) => [
    `^${alias.replace('/', '\\/')}$`,
    path.join(__dirname, target),
  ]),
);

const swc = ['@swc/jest', { swcrc: false, ...JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8')) }];

// hyparquet and its codecs (libs/ml's Parquet reader) ship as ES modules only. Node requires them as they are, but
// jest's module system does not, so jest transpiles these packages to CommonJS with the same SWC settings; every
// other package stays untransformed.
const ES_MODULE_PACKAGES = ['hyparquet', 'hyparquet-compressors', 'hysnappy'];

module.exports = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': swc,
    [`/node_modules/(${ES_MODULE_PACKAGES.join('|')})/.+\\.js$`]: swc,
  },
  transformIgnorePatterns: [`/node_modules/(?!(${ES_MODULE_PACKAGES.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};
