// Three test tiers (README "Tests"): unit beside the code, integration against the real PostgreSQL
// and Kafka, end-to-end through HTTP. `npm test` runs all three.
const fs = require('node:fs');
const path = require('node:path');
const { pathsToModuleNameMapper } = require('./tools/testing/paths-to-module-name-mapper');

const swcConfig = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcConfig.$schema;

const common = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', { ...swcConfig, swcrc: false }] },
  // jose 6 ships ESM only; let swc turn it into CommonJS for jest's module system.
  transformIgnorePatterns: ['/node_modules/(?!(jose)/)'],
  moduleNameMapper: pathsToModuleNameMapper(),
  modulePathIgnorePatterns: ['<rootDir>/dist/', '<rootDir>/.data/'],
  setupFiles: ['reflect-metadata'],
};

module.exports = {
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: ['<rootDir>/{apps,libs,tools}/**/*.spec.ts'],
    },
    {
      ...common,
      displayName: 'integration',
      testMatch: ['<rootDir>/{apps,libs,tools,prisma,deploy}/**/*.int-spec.ts'],
      globalSetup: '<rootDir>/tools/testing/global-setup.ts',
      globalTeardown: '<rootDir>/tools/testing/global-teardown.ts',
      setupFiles: ['reflect-metadata', '<rootDir>/tools/testing/env-from-global-setup.ts'],
    },
    {
      // Fault tier (`npm run test:faults`; .ci/run runs it after `npm test`): its own PostgreSQL
      // cluster and Kafka broker, which the tests stop and restart. Not part of `npm test`.
      ...common,
      displayName: 'faults',
      testMatch: ['<rootDir>/tests/faults/**/*.fault-spec.ts'],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/apps/**/test/e2e/**/*.e2e-spec.ts', '<rootDir>/tests/e2e/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/tools/testing/global-setup.ts',
      globalTeardown: '<rootDir>/tools/testing/global-teardown.ts',
      setupFiles: ['reflect-metadata', '<rootDir>/tools/testing/env-from-global-setup.ts'],
    },
  ],
};
