// Preload for the compiled services (distributed mode, containers):
//
//   node -r ./tools/runtime/register-paths.js dist/apps/auth-service/src/main.js
//
// tsc keeps `@npi/*` imports as written, so Node must be told where they live. The alias map is
// derived at start-up from tsconfig.base.json (the single source of truth the compiler, jest and
// tools/ts-register.js also use) with `.ts` targets rewritten to `.js` under the dist folder.
//
// Layout assumed (repo checkout and container image alike):
//   <root>/tsconfig.base.json   <root>/dist/...   <root>/tools/runtime/register-paths.js
// NPI_DIST_DIR overrides the compiled tree's location (absolute, or relative to <root>).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const tsconfigPaths = require('tsconfig-paths');
const { compiledPaths, readTsconfigPaths } = require('./alias-map');

const root = path.resolve(__dirname, '..', '..');
const distDir = path.resolve(root, process.env.NPI_DIST_DIR || 'dist');

if (!fs.existsSync(distDir)) {
  // Fail loudly at start-up rather than with a confusing "Cannot find module '@npi/...'" later.
  process.stderr.write(`register-paths: compiled tree not found at ${distDir} (run \`npm run build\`)\n`);
  process.exit(1);
}

tsconfigPaths.register({
  baseUrl: distDir,
  paths: compiledPaths(readTsconfigPaths(path.join(root, 'tsconfig.base.json'))),
  // Without this, tsconfig-paths adds a catch-all "*" rule that would try every bare import
  // (express, pg, ...) under dist/ first.
  addMatchAll: false,
});
