#!/usr/bin/env node
// `npm start`: compiles TypeScript on the fly (swc, see tools/ts-register.js) and runs the launcher.
require('../ts-register');
require('./start.ts');
