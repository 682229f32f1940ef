/**
 * `npm run bench -- standalone`: the standalone mode as `npm start` runs it (all four services in one
 * process, PGlite, in-process broker), started as a child process:
 * - resident memory (VmRSS of the process) idle after start-up, and the peak while under load;
 * - the refresh grant (demo client, `reusable` refresh token, HTTP Basic) vs the HTTP ceiling and a
 *   one-commit ceiling on the same embedded database, autocannon, same connections, interleaved.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { interleave, loadAverage, startCommitCeilingProcess, startHttpCeilingProcess } from '../lib/load';
import type { BenchMeasurement, BenchSuite } from '../lib/report';
import { BENCH_RATE_LIMIT_PER_MINUTE } from '../lib/services';

const CONNECTIONS = 16;
const SLICES = Number(process.env.BENCH_SLICES ?? 3);
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 3);
const ROOT = path.resolve(__dirname, '..', '..');

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const suite: BenchSuite = {
  name: 'standalone',
  description: 'Standalone mode (npm start: four services, PGlite, in-process broker) as a child process: idle and under-load RSS; refresh grant vs the HTTP and one-commit ceilings on the same embedded database.',
  async run() {
    const measurements: BenchMeasurement[] = [];
    const notes: string[] = [];
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-bench-standalone-'));
    const ports = { AUTH_SERVICE_PORT: await freePort(), SESSION_SERVICE_PORT: await freePort(), PAYMENT_SERVICE_PORT: await freePort(), HCX_GATEWAY_PORT: await freePort(), STANDALONE_DB_PORT: await freePort() };
    // One load client from one address with one demo client is not the abuse the token endpoint's
    // rate limit is for: the launcher takes the limit from its environment (tools/standalone/services.ts).
    const env: NodeJS.ProcessEnv = { ...process.env, NPI_DATA_DIR: dataDir, LOG_LEVEL: 'warn', AUTH_RATE_LIMIT_PER_MINUTE: BENCH_RATE_LIMIT_PER_MINUTE, ...Object.fromEntries(Object.entries(ports).map(([k, v]) => [k, String(v)])) };
    delete env.DATABASE_URL;
    delete env.KAFKA_BROKERS;
    const child = spawn(process.execPath, ['-r', './tools/ts-register.js', 'tools/standalone/start.ts'], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const credentialsFile = path.join(dataDir, 'demo', 'credentials.json');
    try {
      const deadline = Date.now() + 300_000;
      while (!fs.existsSync(credentialsFile)) {
        if (child.exitCode !== null || Date.now() > deadline) throw new Error(`standalone did not start: ${stderr}`);
        await sleep(500);
      }
      await sleep(10_000);
      const idle = rssMb(child.pid as number);
      const credentials = JSON.parse(fs.readFileSync(credentialsFile, 'utf8')) as { 'auth-service': { clientId: string; clientSecret: string; username: string; password: string } };
      const auth = credentials['auth-service'];
      const authUrl = `http://127.0.0.1:${ports.AUTH_SERVICE_PORT}`;
      const basic = `Basic ${Buffer.from(`${encodeURIComponent(auth.clientId)}:${encodeURIComponent(auth.clientSecret)}`).toString('base64')}`;
      const form = { 'content-type': 'application/x-www-form-urlencoded', authorization: basic };
      const grant = await fetch(`${authUrl}/oauth/token`, { method: 'POST', headers: form, body: new URLSearchParams({ grant_type: 'password', username: auth.username, password: auth.password }) });
      const tokens = (await grant.json()) as { refresh_token?: string };
      if (!tokens.refresh_token) throw new Error(`password grant failed: ${grant.status} ${JSON.stringify(tokens)}`);
      const refreshBody = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token }).toString();

      const httpCeiling = await startHttpCeilingProcess();
      const commitCeiling = await startCommitCeilingProcess(`postgresql://postgres@127.0.0.1:${ports.STANDALONE_DB_PORT}/postgres?sslmode=disable`, 3);
      let peak = idle;
      const sampler = setInterval(() => {
        peak = Math.max(peak, rssMb(child.pid as number));
      }, 200);
      try {
        const results = await interleave(
          [
            { name: 'http', target: () => ({ url: `${httpCeiling.url}/oauth/token`, method: 'POST', headers: form, body: refreshBody }) },
            { name: 'commit', target: () => ({ url: `${commitCeiling.url}/oauth/token`, method: 'POST', headers: form, body: refreshBody }) },
            { name: 'refresh', target: () => ({ url: `${authUrl}/oauth/token`, method: 'POST', headers: form, body: refreshBody }) },
          ],
          { slices: SLICES, sliceSeconds: SLICE_SECONDS, connections: CONNECTIONS },
        );
        const httpResult = results.get('http')!;
        const commit = results.get('commit')!;
        const refresh = results.get('refresh')!;
        measurements.push(
          { name: 'standalone: HTTP ceiling (bare node:http)', value: httpResult.rps, unit: 'req/s', extra: { connections: CONNECTIONS } },
          { name: 'standalone: one-commit ceiling on the embedded PGlite', value: commit.rps, unit: 'req/s', baseline: 'standalone: HTTP ceiling (bare node:http)', extra: { connections: CONNECTIONS } },
          { name: 'standalone: refresh grant (reusable)', value: refresh.rps, unit: 'grants/s', baseline: 'standalone: one-commit ceiling on the embedded PGlite', goal: 0.7, extra: { connections: CONNECTIONS, p50_ms: refresh.p50Ms, p99_ms: refresh.p99Ms, non2xx: refresh.non2xx, errors: refresh.errors, load_average: loadAverage() } },
        );
      } finally {
        clearInterval(sampler);
        await httpCeiling.stop();
        await commitCeiling.stop();
      }
      measurements.push(
        { name: 'standalone: RSS idle (four services, one process)', value: idle, unit: 'MB', goal: undefined, extra: { target_mb: 300, met: idle <= 300 ? 'yes' : 'no' } },
        { name: 'standalone: RSS peak under load', value: peak, unit: 'MB', extra: { target_mb: 600, met: peak <= 600 ? 'yes' : 'no' } },
      );
      notes.push('RSS is VmRSS of the standalone process (/proc), sampled every 200 ms during the interleaved load; idle is measured 10 s after the demo data was written.');
    } finally {
      child.kill('SIGINT');
      await Promise.race([new Promise((resolve) => child.once('exit', resolve)), sleep(15_000)]);
      if (child.exitCode === null) child.kill('SIGKILL');
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
    notes.push(`Machine: ${os.cpus().length} CPUs shared with other work; load average at the end ${loadAverage()}. The standalone process and each ceiling run in their own process; autocannon in the bench process.`);
    return { suite: 'standalone', description: suite.description, measurements, notes };
  },
};

export default suite;
