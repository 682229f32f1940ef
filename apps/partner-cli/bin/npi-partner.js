#!/usr/bin/env node
// `npx npi-partner ...`: compiles the CLI's TypeScript on the fly (swc, tools/ts-register.js), as `npm start` does.
require('../../../tools/ts-register');
require('../src/cli.ts');
