/**
 * Proves the boundary rules bite (docs/architecture.md "Boundaries"): each forbidden import is linted as
 * if it were written in a real project file, and must fail; the allowed ones must pass.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '..', '..');

const refused: [string, string, string][] = [
  ['a crypto lib imports Nest', 'libs/jose-envelope/src/forbidden.ts', "import { Injectable } from '@nestjs/common';\nexport const x = Injectable;"],
  ['a crypto lib imports kafkajs', 'libs/signature-token/src/forbidden.ts', "import { Kafka } from 'kafkajs';\nexport const x = Kafka;"],
  ["a service imports another service's data access", 'apps/payment-service/src/forbidden.ts', "import * as auth from '@npi/auth/data-access';\nexport const x = auth;"],
  ['an app imports the Prisma adapter directly', 'apps/auth-service/src/forbidden.ts', "import { PrismaPg } from '@prisma/adapter-pg';\nexport const x = PrismaPg;"],
  ['an app imports kafkajs directly', 'apps/hcx-gateway/src/forbidden.ts', "import { Kafka } from 'kafkajs';\nexport const x = Kafka;"],
  ['a util lib imports pg', 'libs/config/src/forbidden.ts', "import { Client } from 'pg';\nexport const x = Client;"],
  ["a shared lib imports a service's data access", 'libs/auth-guards/src/forbidden.ts', "import * as session from '@npi/session/data-access';\nexport const x = session;"],
];
const allowed: [string, string, string][] = [
  ['a service uses its own data access and shared libs', 'apps/payment-service/src/allowed.ts', "import * as data from '@npi/payment/data-access';\nimport { loadConfig } from '@npi/config';\nexport const x = [data, loadConfig];"],
  ['messaging imports kafkajs', 'libs/messaging/src/allowed.ts', "import { Kafka } from 'kafkajs';\nexport const x = Kafka;"],
  ['a data-access lib imports the database lib', 'libs/hcx/data-access/src/allowed.ts', "import { PrismaClient } from '@npi/database';\nexport const x = PrismaClient;"],
];

describe('module boundaries', () => {
  let results: string[][];

  beforeAll(() => {
    // The Nx rule reads the project graph; computing it is what `npm run lint` does first.
    const env = { ...process.env, NX_DAEMON: 'false' };
    execFileSync(path.join(root, 'node_modules', '.bin', 'nx'), ['show', 'projects'], { cwd: root, stdio: 'ignore', env });
    const input = [...refused, ...allowed].map(([, file, code]) => ({ file, code }));
    const output = execFileSync(process.execPath, [path.join(__dirname, 'lint-virtual-files.mjs')], { cwd: root, input: JSON.stringify(input), env });
    results = JSON.parse(output.toString()) as string[][];
  }, 120_000);

  const boundaryErrors = (index: number) => results[index];

  it.each(refused.map(([name], index) => [name, index] as const))('refuses: %s', (_name, index) => {
    expect(boundaryErrors(index)).not.toEqual([]);
  });

  it.each(allowed.map(([name], index) => [name, refused.length + index] as const))('allows: %s', (_name, index) => {
    expect(boundaryErrors(index)).toEqual([]);
  });
});
