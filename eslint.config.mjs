import js from '@eslint/js';
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const TYPE_RULES = [
  { sourceTag: 'type:contracts', onlyDependOnLibsWithTags: ['type:contracts'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
  { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:contracts'] },
  { sourceTag: 'type:feature', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:contracts'] },
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:feature', 'type:data-access', 'type:util', 'type:contracts'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:contracts'] },
  { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:testing', 'type:feature', 'type:data-access', 'type:util', 'type:contracts'] },
];

const SERVICES = ['data-prep', 'trainer', 'model-registry', 'serving', 'monitoring', 'cli', 'e2e'];
const SCOPE_RULES = [
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ...SERVICES.map((service) => ({ sourceTag: `scope:${service}`, onlyDependOnLibsWithTags: [`scope:${service}`, 'scope:shared'] })),
];

const boundaries = (extraForTests) => ({
  '@nx/enforce-module-boundaries': [
    'error',
    {
      enforceBuildableLibDependency: false,
      banTransitiveDependencies: false,
      depConstraints: [
        ...TYPE_RULES.map((rule) => ({
          ...rule,
          onlyDependOnLibsWithTags: [...rule.onlyDependOnLibsWithTags, ...extraForTests],
        })),
        ...SCOPE_RULES,
      ],
    },
  ],
});

export default [
  { ignores: ['**/dist', '**/node_modules', '**/.nx', '**/coverage', '**/*.cjs', '**/*.mjs', 'bench/results'] },
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      ...boundaries([]),
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', ignoreRestSiblings: true }],
      'no-console': 'off',
    },
  },
  {
    // Pages' scripts run in the browser as served, with no build step: JavaScript's recommended rules, the browser
    // globals they use, and uPlot's (loaded by its own script tag).
    files: ['apps/*/src/**/page/*.js'],
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'script',
      globals: { document: 'readonly', fetch: 'readonly', EventSource: 'readonly', uPlot: 'readonly' },
    },
    rules: { ...js.configs.recommended.rules, strict: ['error', 'global'] },
  },
  {
    // Tests may use the testing lib (real Redis, fixtures); production code may not.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts'],
    rules: boundaries(['type:testing']),
  },
];
