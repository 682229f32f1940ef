// Lint, type-aware rules and Nx module boundaries (docs/architecture.md "Boundaries").
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const noKafka = ['kafkajs'];
const noPrisma = ['@prisma/*', 'pg', '@electric-sql/*'];
const noNest = ['@nestjs/*', 'nestjs-pino', 'reflect-metadata', 'rxjs'];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  {
    ignores: ['**/dist', '**/node_modules', '**/generated/**', '.data/**', 'tmp/**', 'coverage/**', '**/*.js', '**/*.cjs', '**/*.mjs'],
  },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
      '@typescript-eslint/consistent-type-imports': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': ['error', { object: 'Math', property: 'random', message: 'Use node:crypto for ids, secrets and nonces.' }],
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          // libs/testing (type:testing) holds test helpers only; any project's tests may use it.
          depConstraints: [
            // A service never imports another service's code or tables.
            { sourceTag: 'scope:auth', onlyDependOnLibsWithTags: ['scope:auth', 'scope:shared', 'type:testing'] },
            { sourceTag: 'scope:session', onlyDependOnLibsWithTags: ['scope:session', 'scope:shared', 'type:testing'] },
            { sourceTag: 'scope:payment', onlyDependOnLibsWithTags: ['scope:payment', 'scope:shared', 'type:testing'] },
            { sourceTag: 'scope:hcx', onlyDependOnLibsWithTags: ['scope:hcx', 'scope:shared', 'type:testing'] },
            { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared', 'type:testing'] },
            // The partner CLI sees the services as a partner does: over HTTP, through shared libs only.
            { sourceTag: 'scope:partner', onlyDependOnLibsWithTags: ['scope:shared', 'type:testing'] },
            // Only data-access libs import Prisma/pg; only libs/messaging imports kafkajs.
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:runtime', 'type:data-access', 'type:util', 'type:crypto', 'type:messaging', 'type:testing'], bannedExternalImports: [...noKafka, ...noPrisma] },
            { sourceTag: 'type:data-access', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:crypto', 'type:messaging', 'type:testing'], bannedExternalImports: noKafka },
            // The runtime wires the platform (database, broker, logging) into each app.
            { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:data-access', 'type:util', 'type:crypto', 'type:messaging', 'type:testing'], bannedExternalImports: [...noKafka, '@prisma/*', 'pg'] },
            { sourceTag: 'type:messaging', onlyDependOnLibsWithTags: ['type:util', 'type:testing'], bannedExternalImports: noPrisma },
            { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:crypto', 'type:messaging', 'type:testing'], bannedExternalImports: [...noKafka, ...noPrisma] },
            // Crypto libs import nothing from Nest, the broker or the database.
            { sourceTag: 'type:crypto', onlyDependOnLibsWithTags: ['type:crypto', 'type:testing'], bannedExternalImports: [...noKafka, ...noPrisma, ...noNest] },
            { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:runtime', 'type:util', 'type:crypto', 'type:messaging', 'type:data-access', 'type:testing'] },
          ],
        },
      ],
    },
  },
  {
    // Tests may reach into the test harness; the harness itself lives under tools/ and libs/testing.
    files: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/test/**/*.ts'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
];
