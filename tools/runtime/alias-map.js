// Pure helpers behind register-paths.js (kept apart so tests can load them without patching
// Node's resolver). tsconfig.base.json `paths` point at TypeScript sources (libs/<lib>/src/index.ts);
// `tsc -p tsconfig.build.json` mirrors the repo tree into dist/ (rootDir "."), so the compiled
// module for `libs/x/src/index.ts` is `dist/libs/x/src/index.js`.
'use strict';

const fs = require('node:fs');
const path = require('node:path');

/** Reads `compilerOptions.paths` from a tsconfig file (plain JSON: ours carries no comments). */
function readTsconfigPaths(tsconfigFile) {
  const tsconfig = JSON.parse(fs.readFileSync(tsconfigFile, 'utf8'));
  const paths = tsconfig && tsconfig.compilerOptions && tsconfig.compilerOptions.paths;
  if (!paths || typeof paths !== 'object') {
    throw new Error(`${tsconfigFile} has no compilerOptions.paths`);
  }
  return paths;
}

/** `libs/x/src/index.ts` -> `libs/x/src/index.js`; `.tsx`/`.mts`/`.cts` likewise; others unchanged. */
function toCompiledTarget(target) {
  return target.replace(/\.([cm]?)tsx?$/, (_match, flavour) => `.${flavour}js`);
}

/** The alias map for the compiled tree: same keys, every target with its compiled extension. */
function compiledPaths(paths) {
  const result = {};
  for (const [alias, targets] of Object.entries(paths)) {
    if (!Array.isArray(targets) || targets.length === 0) {
      throw new Error(`path alias ${alias} has no targets`);
    }
    result[alias] = targets.map(toCompiledTarget);
  }
  return result;
}

module.exports = { readTsconfigPaths, toCompiledTarget, compiledPaths };
