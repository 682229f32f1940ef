/**
 * `npm run bench -- auth-service`: auth-service in its own process on the bench database with the
 * real Kafka broker (distributed mode), then on PGlite with the in-process broker (standalone mode; BENCH_MODES picks), autocannon from this process, every contender in
 * interleaved slices of the same run with the same connections:
 * - refresh grant, `reusable` and `rotating` clients, vs the one-commit ceiling (goal 0.7);
 * - token introspection (RFC 7662) and the resource-server token check (libs/auth-guards guards on
 *   a one-route Nest app, bench/fixtures/resource-server.ts) vs the HTTP ceiling (goal 0.8); the
 *   check also against the framework ceiling, the same one-route Nest app without the guard (what
 *   Nest/express alone allows, in its own process too); the refresh grants and introspection also
 *   against the platform ceiling, one trivial POST route behind the pipeline every service runs
 *   (bench/fixtures/platform-ceiling.ts), which tells the shared pipeline's cost from the route's;
 * - password grant vs the raw argon2id verification rate at the same parameters (OWASP m = 19 MiB,
 *   t = 2, p = 1) and the same concurrency, alternating slices (goal 0.9).
 * The token endpoint's rate limit is the product setting; the bench configures it above its offered
 * load (bench/fixtures/auth-service.ts).
 */
import os from 'node:os';
import type autocannon from 'autocannon';
import type { JSONWebKeySet } from 'jose';
import { PasswordHasher } from '../../apps/auth-service/src/crypto/password-hasher';
import type { AuthClientCredentials } from '../fixtures/auth-service';
import { cpuFigures, interleave, loadAverage, runLoad, startCommitCeilingProcess, startHttpCeilingProcess } from '../lib/load';
import type { LoadTarget } from '../lib/load';
import { addCpu, cpuPerRequest, cpuSince, cpuSnapshot } from '../lib/cpu';
import type { CpuSnapshot } from '../lib/cpu';
import { measureThroughput } from '../lib/report';
import type { BenchMeasurement, BenchSuite } from '../lib/report';
import { startServiceProcess } from '../lib/service-process';
import type { BenchMode } from '../lib/services';

const CONNECTIONS = 16;
const SLICES = Number(process.env.BENCH_SLICES ?? 3);
const SLICE_SECONDS = Number(process.env.BENCH_SLICE_SECONDS ?? 3);
const HASH_CONCURRENCY = 8;

const basic = (c: AuthClientCredentials) => `Basic ${Buffer.from(`${encodeURIComponent(c.clientId)}:${encodeURIComponent(c.clientSecret)}`).toString('base64')}`;
const FORM = 'application/x-www-form-urlencoded';

async function measureMode(mode: BenchMode, modes: readonly BenchMode[], measurements: BenchMeasurement[], notes: string[]): Promise<void> {
  const auth = await startServiceProcess<{ databaseUrl: string; issuer: string; audience: string }>('auth-service', { mode });
  const httpCeiling = await startHttpCeilingProcess();
  const commitCeiling = await startCommitCeilingProcess(auth.data.databaseUrl, mode === 'standalone' ? 3 : 10);
  let resource: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
  let framework: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
  let platform: Awaited<ReturnType<typeof startServiceProcess>> | undefined;
  try {
    const reusable = await auth.call<AuthClientCredentials>('client', { refreshTokenPolicy: 'reusable' });
    const rotating = await auth.call<AuthClientCredentials>('client', { refreshTokenPolicy: 'rotating' });
    const introspector = await auth.call<AuthClientCredentials>('client', { scopes: ['read', 'introspect'] });
    const tokenUrl = `${auth.url}/oauth/token`;
    const grant = async (client: AuthClientCredentials, form: Record<string, string>) => {
      const response = await fetch(tokenUrl, { method: 'POST', headers: { 'content-type': FORM, authorization: basic(client) }, body: new URLSearchParams(form) });
      const body = (await response.json()) as { access_token?: string; refresh_token?: string };
      if (response.status !== 200) throw new Error(`token endpoint answered ${response.status} ${JSON.stringify(body)}`);
      return body as { access_token: string; refresh_token: string };
    };
    const password = (client: AuthClientCredentials) => grant(client, { grant_type: 'password', username: client.username, password: client.password });
    const reusableTokens = await password(reusable);
    // Rotating: a free list of chains; each request takes one and its answer puts the successor
    // back (autocannon resets a connection's context after each request of a one-request
    // sequence, so the list is not per connection). A request cut off at a slice end loses its
    // chain, so there are enough chains for every slice's in-flight requests.
    const chains: string[] = [];
    for (let i = 0; i < CONNECTIONS * (SLICES + 2); i += 8) chains.push(...(await Promise.all(Array.from({ length: 8 }, async () => (await password(rotating)).refresh_token))));
    const jwks = (await (await fetch(`${auth.url}/.well-known/jwks.json`)).json()) as JSONWebKeySet;
    resource = await startServiceProcess('resource-server', { issuer: auth.data.issuer, audience: auth.data.audience, jwks, clientIds: [reusable.clientId] });
    framework = await startServiceProcess('resource-server', { issuer: auth.data.issuer, audience: auth.data.audience, jwks, clientIds: [reusable.clientId], guard: false });
    const frameworkUrl = framework.url;
    platform = await startServiceProcess('platform-ceiling');
    const platformUrl = platform.url;
    const accessToken = reusableTokens.access_token;
    const resourceUrl = resource.url;
    // Warm-up: the introspecting client's secret is verified (argon2id) once, then remembered;
    // without this the first slice measures sixteen concurrent argon2 verifications.
    const introspected = await fetch(`${auth.url}/oauth/introspect`, { method: 'POST', headers: { 'content-type': FORM, authorization: basic(introspector) }, body: new URLSearchParams({ token: accessToken }) });
    if (!((await introspected.json()) as { active?: boolean }).active) throw new Error('introspection warm-up: token not active');
    if ((await fetch(`${resourceUrl}/check`, { headers: { authorization: `Bearer ${accessToken}` } })).status !== 200) throw new Error('resource server refused the warm-up token');

    const post = (url: string, client: AuthClientCredentials, body: string): LoadTarget => ({ url, method: 'POST', headers: { 'content-type': FORM, authorization: basic(client) }, body });
    const rotatingTarget = (): LoadTarget => ({
      url: tokenUrl,
      method: 'POST',
      headers: { 'content-type': FORM, authorization: basic(rotating) },
      requests: [
        {
          method: 'POST',
          path: '/oauth/token',
          headers: { 'content-type': FORM, authorization: basic(rotating) },
          setupRequest: (request: autocannon.Request) => ({ ...request, body: `grant_type=refresh_token&refresh_token=${encodeURIComponent(chains.shift() ?? 'none-left')}` }),
          onResponse: (status: number, body: string) => {
            if (status === 200) chains.push((JSON.parse(body) as { refresh_token: string }).refresh_token);
          },
        } as unknown as autocannon.Request,
      ],
    });
    const results = await interleave(
      [
        { name: 'http', target: () => post(`${httpCeiling.url}/oauth/token`, reusable, `grant_type=refresh_token&refresh_token=${encodeURIComponent(reusableTokens.refresh_token)}`) },
        { name: 'commit', target: () => post(`${commitCeiling.url}/oauth/token`, reusable, `grant_type=refresh_token&refresh_token=${encodeURIComponent(reusableTokens.refresh_token)}`) },
        { name: 'reusable', target: () => post(tokenUrl, reusable, `grant_type=refresh_token&refresh_token=${encodeURIComponent(reusableTokens.refresh_token)}`) },
        { name: 'rotating', target: rotatingTarget },
        { name: 'introspect', target: () => post(`${auth.url}/oauth/introspect`, introspector, `token=${encodeURIComponent(accessToken)}&token_type_hint=access_token`) },
        { name: 'resource', target: () => ({ url: `${resourceUrl}/check`, method: 'GET', headers: { authorization: `Bearer ${accessToken}` } }) },
        { name: 'framework', target: () => ({ url: `${frameworkUrl}/check`, method: 'GET', headers: { authorization: `Bearer ${accessToken}` } }) },
        { name: 'platform', target: () => post(`${platformUrl}/trivial`, reusable, `grant_type=refresh_token&refresh_token=${encodeURIComponent(reusableTokens.refresh_token)}`) },
      ],
      { slices: SLICES, sliceSeconds: SLICE_SECONDS, connections: CONNECTIONS },
    );
    const get = (name: string) => results.get(name) as NonNullable<ReturnType<typeof results.get>>;
    const extra = (name: string) => ({ connections: CONNECTIONS, p50_ms: get(name).p50Ms, p99_ms: get(name).p99Ms, non2xx: get(name).non2xx, errors: get(name).errors, load_average: loadAverage(), ...cpuFigures(get(name)) });
    const httpName = `${mode}: HTTP ceiling (bare node:http)`;
    const commitName = `${mode}: one-commit ceiling (node:http + pg UPDATE)`;
    const frameworkName = `${mode}: framework ceiling (the one-route Nest/express app, no guard)`;
    const platformName = `${mode}: platform ceiling (one trivial POST route behind the services' pipeline)`;
    // What the shared pipeline leaves for a route: the route's own cost is the rest.
    const ofPlatform = (name: string) => ({ of_platform_ceiling: Number((get(name).rps / get('platform').rps).toFixed(3)) });
    measurements.push(
      { name: httpName, value: get('http').rps, unit: 'req/s', extra: extra('http') },
      { name: commitName, value: get('commit').rps, unit: 'req/s', baseline: httpName, extra: extra('commit') },
      { name: `${mode}: refresh grant (reusable)`, value: get('reusable').rps, unit: 'grants/s', baseline: commitName, goal: 0.7, extra: { ...extra('reusable'), ...ofPlatform('reusable') } },
      { name: `${mode}: refresh grant (rotating)`, value: get('rotating').rps, unit: 'grants/s', baseline: commitName, goal: 0.7, extra: { ...extra('rotating'), ...ofPlatform('rotating') } },
      { name: `${mode}: token introspection (access token)`, value: get('introspect').rps, unit: 'req/s', baseline: httpName, goal: 0.8, extra: { ...extra('introspect'), ...ofPlatform('introspect') } },
      {
        name: `${mode}: resource-server token check (auth-guards)`,
        value: get('resource').rps,
        unit: 'req/s',
        baseline: httpName,
        goal: 0.8,
        extra: { ...extra('resource'), of_framework_ceiling: Number((get('resource').rps / get('framework').rps).toFixed(3)) },
      },
      { name: frameworkName, value: get('framework').rps, unit: 'req/s', baseline: httpName, extra: extra('framework') },
      { name: platformName, value: get('platform').rps, unit: 'req/s', baseline: httpName, extra: extra('platform') },
    );

    // Password grant vs raw argon2id verification, alternating slices, same concurrency.
    const hasher = new PasswordHasher();
    const stored = await hasher.hash('bench-password-0123456789');
    let rawOps = 0;
    let rawSeconds = 0;
    let grantOk = 0;
    let grantSeconds = 0;
    let grantNon2xx = 0;
    const grantP99: number[] = [];
    let rawCpu: CpuSnapshot | undefined;
    let grantCpu: CpuSnapshot | undefined;
    const sum = (total: CpuSnapshot | undefined, slice: CpuSnapshot) => (total ? addCpu(total, slice) : slice);
    const passwordBody = new URLSearchParams({ grant_type: 'password', username: reusable.username, password: reusable.password }).toString();
    for (let slice = 0; slice < SLICES; slice += 1) {
      const started = process.hrtime.bigint();
      const rawBefore = cpuSnapshot();
      const raw = await measureThroughput(() => hasher.verify('bench-password-0123456789', stored), { concurrency: HASH_CONCURRENCY, durationMs: SLICE_SECONDS * 1000 });
      rawOps += raw.operations;
      rawSeconds += Number(process.hrtime.bigint() - started) / 1e9;
      rawCpu = sum(rawCpu, cpuSince(rawBefore));
      const grantBefore = cpuSnapshot();
      const load = await runLoad(post(tokenUrl, reusable, passwordBody), { connections: HASH_CONCURRENCY, seconds: SLICE_SECONDS });
      grantCpu = sum(grantCpu, cpuSince(grantBefore));
      grantOk += load.rps * load.seconds;
      grantSeconds += load.seconds;
      grantNon2xx += load.non2xx;
      grantP99.push(load.p99Ms);
    }
    const rawName = `${mode}: raw argon2id verify (m=19 MiB, t=2, p=1)`;
    measurements.push(
      {
        name: rawName,
        value: rawOps / rawSeconds,
        unit: 'hashes/s',
        // The raw verifications run in the bench process: its CPU is the hash's.
        extra: { concurrency: HASH_CONCURRENCY, libuv_pool: Number(process.env.UV_THREADPOOL_SIZE ?? 4), load_average: loadAverage(), cpu_ms_per_hash: Number((((rawCpu?.client ?? 0) * 1000) / Math.max(1, rawOps)).toFixed(3)) },
      },
      {
        name: `${mode}: password grant`,
        value: grantOk / grantSeconds,
        unit: 'grants/s',
        baseline: rawName,
        goal: 0.9,
        extra: { connections: HASH_CONCURRENCY, non2xx: grantNon2xx, p99_ms: grantP99.sort((a, b) => a - b)[Math.floor(grantP99.length / 2)], load_average: loadAverage(), ...cpuPerRequest(grantCpu, Math.round(grantOk)) },
      },
    );
    if (mode === modes[0]) notes.push(
      'Refresh grant (reusable): client check from memory (secret verified once, record re-checked by the write), the refresh-token row from memory after its first use, one ES256 signature (node:crypto, on the event loop), one INSERT of the access-token row with its audit outbox row. Rotating: the presented row from memory when this replica wrote it (the successor of the previous rotation), one statement retires it and inserts its successor, plus the signature.',
      'Introspection (access token): the resource server\'s client record from memory, the token\'s signature verified once per token, then one read per call that returns the token\'s revocation state together with the calling client\'s stored revision and status (a changed or disabled client falls back to a fresh authentication).',
      'The resource-server check runs the @NpiMember() passport guard of libs/auth-guards (ES256 verification, claims, revocation and allowlist caches) on a one-route Nest/express app; the HTTP ceiling is bare node:http; the framework ceiling is the same app without the guard (its ratio to the check is of_framework_ceiling). The platform ceiling is one trivial POST route behind the pipeline every service runs (helmet, request context, access log, body parsers, input hygiene); of_platform_ceiling is a route\'s share of it, the rest being the route\'s own work.',
      `Machine: ${os.cpus().length} CPUs shared with other work; load average at the end ${loadAverage()}. auth-service, the resource server and each ceiling run in their own process; autocannon and the raw argon2 loop in the bench process.`,
    );
  } finally {
    await resource?.stop();
    await framework?.stop();
    await platform?.stop();
    await httpCeiling.stop();
    await commitCeiling.stop();
    await auth.stop();
  }
}

const suite: BenchSuite = {
  name: 'auth-service',
  description:
    'auth-service (own process; distributed: PostgreSQL + Kafka, standalone: PGlite + in-process broker): refresh grants (reusable, rotating) vs the one-commit ceiling, introspection and the resource-server token check vs the HTTP ceiling, password grant vs raw argon2id; autocannon, same connections, interleaved slices, same run.',
  async run() {
    const measurements: BenchMeasurement[] = [];
    const notes: string[] = [];
    const modes = (process.env.BENCH_MODES?.split(',') ?? ['distributed', 'standalone']) as BenchMode[];
    for (const mode of modes) await measureMode(mode, modes, measurements, notes);
    return { suite: 'auth-service', description: suite.description, measurements, notes };
  },
};

export default suite;
