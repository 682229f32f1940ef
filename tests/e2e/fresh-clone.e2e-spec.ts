/**
 * A newcomer's first two commands on a fresh clone: `npm ci` then `npm start`, with nothing else
 * done (no generated Prisma client, no .data, no build). The repository's committed HEAD is cloned
 * into a temporary folder (uncommitted changes are deliberately not part of it), installed from the
 * npm cache, started on ephemeral ports, probed (the four /health/ready and the demo credentials
 * file), then stopped as Ctrl-C stops it: SIGINT to the whole foreground process group (npm and
 * the launcher both receive it), and `npm start` must exit 0.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPOSITORY_ROOT, freePort, servicePortEnvironment, servicePorts, startStandalone } from '../support/standalone-process';
import type { StandaloneProcess } from '../support/standalone-process';

jest.setTimeout(900_000);

const root = REPOSITORY_ROOT;
const head = spawnSync('git', ['-C', root, 'rev-parse', 'HEAD'], { encoding: 'utf8' });
const inGitCheckout = head.status === 0 && /^[0-9a-f]{40}$/.test(head.stdout.trim());
if (!inGitCheckout) {
  process.stderr.write('fresh-clone e2e test skipped: not a git checkout, so there is no committed state to clone\n');
}

/** The environment of a newcomer's shell: no DATABASE_URL or KAFKA_BROKERS, so embedded mode. */
function newcomerEnvironment(extra: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG', 'npm_config_cache', 'NPM_CONFIG_CACHE', 'npm_config_registry', 'NPM_CONFIG_REGISTRY'];
  return { ...Object.fromEntries(keep.filter((name) => process.env[name] !== undefined).map((name) => [name, process.env[name]])), ...extra };
}

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): void {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited with ${result.status}:\n${`${result.stdout}\n${result.stderr}`.slice(-4000)}`);
}

(inGitCheckout ? describe : describe.skip)('a fresh clone: npm ci && npm start', () => {
  const workDir = inGitCheckout ? fs.mkdtempSync(path.join(os.tmpdir(), 'npi-fresh-clone-')) : '';
  const cloneDir = path.join(workDir, 'repo');
  let started: StandaloneProcess | undefined;

  afterAll(async () => {
    // A failed assertion leaves it running: the whole group goes, as a closed terminal would take it.
    if (started && started.child.exitCode === null && started.child.pid) {
      const exited = new Promise((resolve) => started?.child.once('exit', resolve));
      try {
        process.kill(-started.child.pid, 'SIGKILL');
        await exited;
      } catch {
        // the group is already gone
      }
    }
    if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
  });

  it('installs, starts all four services ready with demo credentials, and stops on Ctrl-C with exit 0', async () => {
    run('git', ['clone', '--quiet', '--no-checkout', root, cloneDir], workDir, newcomerEnvironment({}));
    run('git', ['-C', cloneDir, 'checkout', '--quiet', '--detach', head.stdout.trim()], workDir, newcomerEnvironment({}));
    expect(fs.existsSync(path.join(cloneDir, 'node_modules'))).toBe(false);
    expect(fs.existsSync(path.join(cloneDir, '.data'))).toBe(false);

    // --prefer-offline: the packages come from the npm cache the project's own install filled.
    run('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], cloneDir, newcomerEnvironment({}));

    const ports = await servicePorts();
    const env = newcomerEnvironment({ LOG_LEVEL: 'warn', ...servicePortEnvironment(ports), STANDALONE_DB_PORT: String(await freePort()) });
    // detached: its own process group, so SIGINT can go to the group as a terminal's Ctrl-C does.
    started = await startStandalone('npm', ['start'], { cwd: cloneDir, env, detached: true, timeoutMs: 300_000 });

    for (const [name, port] of Object.entries(ports)) {
      const response = await fetch(`http://127.0.0.1:${port}/health/ready`);
      expect({ name, status: response.status, body: await response.json() }).toMatchObject({ name, status: 200, body: { status: 'ok', info: { database: { status: 'up' } }, error: {} } });
    }
    const credentialsFile = path.join(cloneDir, '.data', 'demo', 'credentials.json');
    const credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as Record<string, unknown> & { services: Record<string, string> };
    expect(credentials.services).toEqual(Object.fromEntries(Object.entries(ports).map(([name, port]) => [name, `http://127.0.0.1:${port}`])));
    expect(Object.keys(credentials).sort()).toEqual(['auth-service', 'generatedAt', 'hcx-gateway', 'payment-service', 'services', 'session-service']);
    expect(fs.statSync(credentialsFile).mode & 0o077).toBe(0);

    expect(await started.stop()).toBe(0);
    for (const port of Object.values(ports)) {
      await expect(fetch(`http://127.0.0.1:${port}/health/live`)).rejects.toThrow();
    }
  });
});
