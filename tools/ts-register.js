// Require hook for running TypeScript tools, benchmarks and the dev launcher without a build:
// swc compiles each file (with decorator metadata, which Nest's DI needs and esbuild lacks), and
// `@npi/*` resolves through tsconfig.base.json paths. Usage: node -r ./tools/ts-register.js file.ts
const fs = require('node:fs');
const path = require('node:path');
const Module = require('node:module');
const { transformSync } = require('@swc/core');
const tsconfigPaths = require('tsconfig-paths');

const root = path.resolve(__dirname, '..');
const base = require(path.join(root, 'tsconfig.base.json'));
tsconfigPaths.register({ baseUrl: root, paths: base.compilerOptions.paths });

const swcOptions = JSON.parse(fs.readFileSync(path.join(root, '.swcrc'), 'utf8'));
delete swcOptions.$schema;

const previous = Module._extensions['.ts'];
Module._extensions['.ts'] = function compileTypeScript(module, filename) {
  if (filename.includes(`${path.sep}node_modules${path.sep}`) && previous) return previous(module, filename);
  const source = fs.readFileSync(filename, 'utf8');
  const { code } = transformSync(source, { ...swcOptions, swcrc: false, filename });
  module._compile(code, filename);
};
