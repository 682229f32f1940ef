/**
 * tools/runtime/register-paths.js: the @npi/* aliases of tsconfig.base.json, resolved in the
 * compiled tree (dist/) by the containers' `node -r ./tools/runtime/register-paths.js ...`.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const { compiledPaths, readTsconfigPaths, toCompiledTarget } = require('./alias-map') as {
  compiledPaths(paths: Record<string, string[]>): Record<string, string[]>;
  readTsconfigPaths(file: string): Record<string, string[]>;
  toCompiledTarget(target: string): string;
};

const ROOT = path.resolve(__dirname, '..', '..');
const REGISTER = path.join(ROOT, 'tools', 'runtime', 'register-paths.js');
const paths = readTsconfigPaths(path.join(ROOT, 'tsconfig.base.json'));

describe('alias map for the compiled tree', () => {
  it('maps every alias of tsconfig.base.json, each .ts target to its .js', () => {
    const compiled = compiledPaths(paths);
    expect(Object.keys(compiled).sort()).toEqual(Object.keys(paths).sort());
    expect(compiled['@npi/config']).toEqual(['libs/config/src/index.js']);
    for (const [alias, targets] of Object.entries(compiled)) {
      expect({ alias, targets: targets.map((t) => path.extname(t)) }).toEqual({ alias, targets: targets.map(() => '.js') });
    }
  });

  it('points every alias at a TypeScript source that exists, so tsc emits the .js it maps to', () => {
    expect(Object.keys(paths).length).toBeGreaterThanOrEqual(10);
    for (const [alias, targets] of Object.entries(paths)) {
      for (const target of targets) {
        expect({ alias, target, exists: target.endsWith('.ts') && fs.existsSync(path.join(ROOT, target)) }).toEqual({ alias, target, exists: true });
      }
    }
  });

  it('rewrites only TypeScript extensions', () => {
    expect(toCompiledTarget('libs/a/src/index.ts')).toBe('libs/a/src/index.js');
    expect(toCompiledTarget('libs/a/src/index.mts')).toBe('libs/a/src/index.mjs');
    expect(toCompiledTarget('libs/a/src/*')).toBe('libs/a/src/*');
    expect(toCompiledTarget('libs/a/src/index.d.ts.json')).toBe('libs/a/src/index.d.ts.json');
  });

  it('refuses an alias without targets and a tsconfig without paths', () => {
    expect(() => compiledPaths({ '@npi/x': [] })).toThrow('path alias @npi/x has no targets');
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-paths-'));
    try {
      fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: {} }));
      expect(() => readTsconfigPaths(path.join(dir, 'tsconfig.json'))).toThrow('has no compilerOptions.paths');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('node -r ./tools/runtime/register-paths.js', () => {
  let dist: string;

  beforeAll(() => {
    // A stand-in compiled tree: @npi/config's compiled module, plus a decoy where a catch-all "*"
    // rule would look for a bare package name.
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-dist-'));
    fs.mkdirSync(path.join(dist, 'libs', 'config', 'src'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'libs', 'config', 'src', 'index.js'), "module.exports = { compiled: 'config' };\n");
    fs.mkdirSync(path.join(dist, 'pg'), { recursive: true });
    fs.writeFileSync(path.join(dist, 'pg', 'index.js'), "module.exports = 'decoy';\n");
  });
  afterAll(() => fs.rmSync(dist, { recursive: true, force: true }));

  const run = (code: string, env: Record<string, string>) =>
    spawnSync(process.execPath, ['-r', REGISTER, '-e', code], { cwd: ROOT, encoding: 'utf8', env: { PATH: process.env.PATH ?? '', ...env } });

  it('resolves @npi/* to the compiled .js under the dist folder', () => {
    const result = run("process.stdout.write(JSON.stringify([require.resolve('@npi/config'), require('@npi/config')]))", { NPI_DIST_DIR: dist });
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toEqual([path.join(dist, 'libs', 'config', 'src', 'index.js'), { compiled: 'config' }]);
  });

  it('leaves bare package imports to node_modules (no catch-all rule)', () => {
    const result = run("process.stdout.write(require.resolve('pg'))", { NPI_DIST_DIR: dist });
    expect(result.stdout).toBe(require.resolve('pg'));
  });

  it('fails at start-up, naming the folder, when the compiled tree is missing', () => {
    const missing = path.join(dist, 'nope');
    const result = run('process.stdout.write("started")', { NPI_DIST_DIR: missing });
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`register-paths: compiled tree not found at ${missing}`);
  });
});
