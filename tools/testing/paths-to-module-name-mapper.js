// Turns tsconfig.base.json `paths` into jest's moduleNameMapper, so tests resolve `@npi/*`
// exactly as the TypeScript compiler does.
const path = require('node:path');
const base = require('../../tsconfig.base.json');

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

function pathsToModuleNameMapper() {
  const mapper = {};
  for (const [alias, targets] of Object.entries(base.compilerOptions.paths)) {
    mapper[`^${escape(alias)}$`] = path.join(__dirname, '..', '..', targets[0]);
  }
  return mapper;
}

module.exports = { pathsToModuleNameMapper };
