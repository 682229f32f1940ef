/**
 * Every declared dependency is used (a dependency nobody imports is attack surface and upgrade
 * work for nothing). (That every Kafka consumer of an app is an `@EventPattern` handler: event-handlers.spec.ts.)
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  scripts: Record<string, string>;
};

/** Used without an import of their own name; each with the reason. */
const USED_INDIRECTLY: Record<string, string> = {
  '@prisma/client': 'runtime of the generated Prisma client (libs/database/src/generated, not committed)',
  '@swc/core': 'compiler behind @swc/jest and tools/ts-register.js',
  '@types/node': 'Node.js typings for the whole workspace',
  '@types/jest': 'jest globals in spec files',
  '@eslint/js': 'loaded by the @nx/eslint-plugin flat configs',
  'eslint-config-prettier': 'loaded by the @nx/eslint-plugin flat configs (its peer dependency)',
  'jsonc-eslint-parser': 'parser of the Nx lint rules for project.json files',
  '@nx/js': 'Nx TypeScript plugin behind the project graph that module-boundary lint reads',
  'pino-http': 'a required peer dependency of nestjs-pino (libs/service-runtime writes the access log itself)',
};

/** Command-line tools: the binary each package provides, looked for in scripts and shell files. */
const BINARIES: Record<string, string> = {
  typescript: 'tsc',
  jest: 'jest',
  eslint: 'eslint',
  nx: 'nx',
  prisma: 'prisma',
  '@redocly/cli': 'redocly',
};

function trackedFiles(): string[] {
  const listed = execFileSync('git', ['ls-files', '-z'], { cwd: ROOT, encoding: 'utf8' }).split('\0');
  return listed.filter((file) => file && !/(^|\/)package(-lock)?\.json$/.test(file) && /\.(ts|js|mjs|cjs|json|sh|ya?ml)$|(^|\/)\.swcrc$|(^|\/)run$/.test(file));
}

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

describe('package.json dependencies', () => {
  const sources = trackedFiles().map((file) => ({ file, text: fs.readFileSync(path.join(ROOT, file), 'utf8') }));
  const referenced = new Set<string>();
  for (const { text } of sources) {
    for (const match of text.matchAll(/(?:from\s+|require\(\s*|import\(\s*|jest\.mock\(\s*)['"]([^'".][^'"]*)['"]/g)) referenced.add(packageOf(match[1]));
    // Configuration files name packages as plain strings (jest transforms, setup files, eslint plugins).
    for (const match of text.matchAll(/['"](@?[a-z0-9][\w.-]*(?:\/[\w.-]+)?)['"]/gi)) referenced.add(packageOf(match[1]));
  }
  const commands = [...Object.values(manifest.scripts), ...sources.filter((s) => /\.sh$|(^|\/)run$/.test(s.file)).map((s) => s.text)].join('\n');

  const declared = Object.keys({ ...manifest.dependencies, ...manifest.devDependencies });

  it.each(declared)('%s is used', (name) => {
    const typed = name.startsWith('@types/') ? name.slice('@types/'.length).replace(/^(.+)__(.+)$/, '@$1/$2') : undefined;
    const binary = BINARIES[name];
    const used =
      name in USED_INDIRECTLY ||
      referenced.has(name) ||
      (typed !== undefined && referenced.has(typed)) ||
      (binary !== undefined && new RegExp(`(^|[\\s;&|(])(npx )?${binary}\\b`, 'm').test(commands));
    expect({ name, used }).toEqual({ name, used: true });
  });
});
