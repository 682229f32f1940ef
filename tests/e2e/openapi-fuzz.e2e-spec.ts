/**
 * Property-based fuzzing (fast-check) of every operation in docs/openapi/*.json against the four
 * services started by `npm start` on the real PostgreSQL and Kafka, without and with valid
 * credentials of each kind: malformed JSON, wrong types, huge and unusual unicode strings (lone
 * surrogates, NUL, bidi controls), path traversal and `%00` in path parameters, wrong content
 * types, invalid UTF-8 bytes, oversized bodies. Property: no answer is a 5xx, no answer carries a
 * stack trace, and every service is still Ready afterwards. Seeded and bounded: FUZZ_SEED and
 * FUZZ_RUNS (runs per operation) reproduce or widen a run.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { SERVICES, dataFile, launchPlatform } from '../support/launched-platform';
import type { LaunchedPlatform, ServiceName } from '../support/launched-platform';
import { encodePathSegment, leaksInternals, rawRequest } from '../support/raw-http';

jest.setTimeout(420_000);

const SEED = Number(process.env.FUZZ_SEED ?? 20261206);
const RUNS = Number(process.env.FUZZ_RUNS ?? 25);
const root = path.resolve(__dirname, '..', '..');

type Schema = { $ref?: string; type?: string; properties?: Record<string, Schema>; items?: Schema; enum?: unknown[] };
interface Operation {
  service: ServiceName;
  method: string;
  path: string;
  pathParams: string[];
  queryParams: string[];
  headerParams: string[];
  bodySchema?: Schema;
  components: Record<string, Schema>;
}

function loadOperations(): Operation[] {
  const operations: Operation[] = [];
  for (const service of SERVICES) {
    const document = JSON.parse(fs.readFileSync(path.join(root, 'docs', 'openapi', `${service}.json`), 'utf8'));
    for (const [route, item] of Object.entries<Record<string, any>>(document.paths)) { // eslint-disable-line @typescript-eslint/no-explicit-any
      for (const [method, operation] of Object.entries<any>(item)) { // eslint-disable-line @typescript-eslint/no-explicit-any
        if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
        const parameters: { in: string; name: string }[] = operation.parameters ?? [];
        operations.push({
          service,
          method: method.toUpperCase(),
          path: route,
          pathParams: parameters.filter((p) => p.in === 'path').map((p) => p.name),
          queryParams: parameters.filter((p) => p.in === 'query').map((p) => p.name),
          headerParams: parameters.filter((p) => p.in === 'header').map((p) => p.name),
          bodySchema: operation.requestBody?.content?.['application/json']?.schema,
          components: document.components?.schemas ?? {},
        });
      }
    }
  }
  return operations;
}

/** Strings that have broken parsers, decoders, databases and loggers before. */
const NASTY = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\ufeff', '\u202e\u0041', '\u200b', 'नेपाल', '🙂'.repeat(2000),
  '../../../../etc/passwd', '..\\..\\windows', '%00', '%2e%2e%2f%2e%2e%2f', '%', '%E0%A4%A', '%ff%fe', '%c0%ae', "' OR '1'='1' --", '"; DROP TABLE x; --',
  '<script>alert(1)</script>', '${jndi:ldap://127.0.0.1/x}', '{{7*7}}', '__proto__', 'constructor', '-1', '0', '1e309', 'NaN', 'Infinity', '9'.repeat(400),
  'x'.repeat(70_000), '\r\nX-Injected: 1', 'null', 'true', '[]', '{}',
];
const nastyString = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 64 }), weight: 3 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 256 }), weight: 1 },
);
const nastyValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: nastyString, weight: 4 },
  { arbitrary: fc.oneof(fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constant(Number.MAX_SAFE_INTEGER * 4)), weight: 2 },
  { arbitrary: fc.anything({ maxDepth: 3 }), weight: 2 },
);

function resolve(schema: Schema | undefined, components: Record<string, Schema>, depth = 0): Schema | undefined {
  if (!schema || depth > 5) return schema;
  if (schema.$ref) return resolve(components[schema.$ref.split('/').pop()!], components, depth + 1);
  return schema;
}

/** Objects shaped like the documented body whose values are wrong types or nasty strings. */
function wronglyTypedBody(schema: Schema | undefined, components: Record<string, Schema>): fc.Arbitrary<unknown> {
  const resolved = resolve(schema, components);
  const names = Object.keys(resolved?.properties ?? {});
  if (names.length === 0) return fc.dictionary(nastyString, nastyValue, { maxKeys: 4 });
  return fc.record(Object.fromEntries(names.map((name) => [name, nastyValue])), { requiredKeys: [] });
}

interface BodyCase {
  contentType?: string;
  body?: string | Buffer;
  label: string;
}

const MALFORMED_JSON = ['{', '{"a":', '[1,2', '{"a":1}}', 'nul', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '{"\\u0000":1}', '{"a":1,"a":2}', '{"__proto__":{"polluted":1}}',
  '{"constructor":{"prototype":{"polluted":1}}}', `${'['.repeat(5000)}${']'.repeat(5000)}`, '"just a string"', '123', 'true', '\ufeff{}', '{"a":1e999999}'];

function bodyCases(operation: Operation): fc.Arbitrary<BodyCase> {
  const json = (value: unknown, label: string): BodyCase => ({ contentType: 'application/json', body: JSON.stringify(value) ?? 'null', label });
  return fc.oneof(
    { arbitrary: wronglyTypedBody(operation.bodySchema, operation.components).map((value) => json(value, 'wrong types')), weight: 6 },
    { arbitrary: fc.constantFrom(...MALFORMED_JSON).map((body) => ({ contentType: 'application/json', body, label: 'malformed JSON' })), weight: 3 },
    { arbitrary: fc.json({ maxDepth: 3 }).map((body) => ({ contentType: 'application/json', body, label: 'arbitrary JSON' })), weight: 2 },
    {
      arbitrary: fc.constantFrom(Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x7d]), Buffer.from([0xff, 0xfe, 0x00, 0x7b]), Buffer.from('{"a":"\u00e9"}', 'latin1')).map((body) => ({ contentType: 'application/json', body, label: 'invalid UTF-8' })),
      weight: 1,
    },
    {
      arbitrary: fc.tuple(fc.constantFrom('text/plain', 'application/xml', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16', 'application/octet-stream', 'application/json; charset=latin1'), wronglyTypedBody(operation.bodySchema, operation.components)).map(([contentType, value]) => ({ contentType, body: JSON.stringify(value) ?? '', label: `content-type ${contentType}` })),
      weight: 2,
    },
    {
      arbitrary: fc.dictionary(fc.string({ maxLength: 12 }), nastyString, { maxKeys: 5 }).map((form) => ({ contentType: 'application/x-www-form-urlencoded', body: new URLSearchParams(form as Record<string, string>).toString(), label: 'form' })),
      weight: 2,
    },
    { arbitrary: fc.constant({ contentType: 'application/json', body: `{"a":"${'x'.repeat(1_200_000)}"}`, label: 'oversized body' }), weight: 1 },
    { arbitrary: fc.constant({ label: 'no body' }), weight: 1 },
  );
}

interface Attempt {
  operation: string;
  request: string;
  status: number;
  body: string;
}

describe('fuzzing every OpenAPI operation (npm start, real PostgreSQL and Kafka)', () => {
  let platform: LaunchedPlatform;
  const bearers: Record<ServiceName, string[]> = { 'auth-service': [], 'session-service': [], 'payment-service': [], 'hcx-gateway': [] };
  const failures: Attempt[] = [];
  let tried = 0;
  let serverErrors = 0;

  async function token(url: string, body: Record<string, string>, basic?: string): Promise<string> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': basic ? 'application/x-www-form-urlencoded' : 'application/json', ...(basic ? { authorization: `Basic ${Buffer.from(basic).toString('base64')}` } : {}) },
      body: basic ? new URLSearchParams(body).toString() : JSON.stringify(body),
    });
    const answer = (await response.json()) as { access_token?: string };
    if (!answer.access_token) throw new Error(`${url} answered ${response.status} ${JSON.stringify(answer)}`);
    return answer.access_token;
  }

  beforeAll(async () => {
    platform = await launchPlatform({ logLevel: 'warn' });
    const { urls, credentials } = platform;
    const admin = JSON.parse(dataFile(platform, 'secrets', 'auth-service', 'bootstrap-admin.json'));
    const member = credentials['auth-service'];
    const authAdmin = await token(`${urls['auth-service']}/oauth/token`, { grant_type: 'password', username: admin.username, password: admin.password }, `${admin.clientId}:${admin.clientSecret}`);
    const memberToken = await token(`${urls['auth-service']}/oauth/token`, { grant_type: 'password', username: member.username, password: member.password }, `${member.clientId}:${member.clientSecret}`);
    const provider = credentials['hcx-gateway'].participants[0];
    const apiKey = await token(`${urls['hcx-gateway']}/token/generate`, { client_id: provider.client_id, client_secret: provider.client_secret });
    const garbage = 'eyJhbGciOiJub25lIn0.eyJzdWIiOiJ4In0.';
    bearers['auth-service'] = ['', garbage, authAdmin, memberToken];
    bearers['payment-service'] = ['', garbage, dataFile(platform, 'secrets', 'payment-service', 'admin-token'), memberToken];
    bearers['session-service'] = ['', garbage, dataFile(platform, 'secrets', 'session-service', 'admin-token')];
    bearers['hcx-gateway'] = ['', garbage, dataFile(platform, 'secrets', 'hcx-gateway', 'admin-token'), apiKey];
  }, 240_000);

  afterAll(async () => {
    process.stdout.write(`openapi fuzz: seed ${SEED}, ${tried} bad inputs tried, ${serverErrors} answered 5xx, ${failures.length} failures\n`);
    await platform?.stop();
  }, 60_000);

  async function send(operation: Operation, pathValues: string[], query: [string, string][], bearer: string, bodyCase: BodyCase, extraHeaders: Record<string, string> = {}): Promise<void> {
    let index = 0;
    const pathname = operation.path.replace(/\{[^}]+\}/g, () => pathValues[index++] ?? 'x');
    const search = query.length ? `?${query.map(([key, value]) => `${encodeURIComponent(key)}=${encodePathSegment(value, false)}`).join('&')}` : '';
    const headers: Record<string, string> = { accept: 'application/json', ...extraHeaders };
    if (bearer) headers.authorization = `Bearer ${bearer}`;
    if (bodyCase.contentType) headers['content-type'] = bodyCase.contentType;
    const request = `${operation.method} ${pathname}${search}`.slice(0, 300);
    tried += 1;
    let answer;
    try {
      answer = await rawRequest(platform.urls[operation.service], operation.method, `${pathname}${search}`, headers, bodyCase.body);
    } catch (error) {
      // The server closed the connection (e.g. after answering 413 to an oversized body) or Node refused to send the request.
      if (/ECONNRESET|EPIPE|Invalid character|unescaped/.test(String(error))) return;
      throw error;
    }
    if (answer.status >= 500) serverErrors += 1;
    if (answer.status >= 500 || leaksInternals(answer.body)) {
      failures.push({ operation: `${operation.service} ${operation.method} ${operation.path}`, request: `${request} [${bodyCase.label}${bearer ? ', with credentials' : ''}]`, status: answer.status, body: answer.body.slice(0, 300) });
    }
  }

  const operations = loadOperations();

  it('finds the documented operations of all four services', () => {
    expect(operations.length).toBeGreaterThanOrEqual(60);
    expect(new Set(operations.map((operation) => operation.service))).toEqual(new Set(SERVICES));
  });

  it('answers path traversal, %00 and malformed escapes in every path parameter with a 4xx, with every kind of credentials', async () => {
    const values = ['%00', 'a%00b', '..%2f..%2fetc%2fpasswd', '..', '%2e%2e', '%E0%A4%A', '%ff', '%', encodePathSegment('\ud800', false), encodePathSegment('x'.repeat(5000), false), encodePathSegment('\u0000', false), '%C0%AE%C0%AE'];
    for (const operation of operations.filter((op) => op.pathParams.length > 0)) {
      for (const bearer of bearers[operation.service]) {
        for (const value of values) await send(operation, operation.pathParams.map(() => value), [], bearer, { label: 'path parameter', contentType: 'application/json', body: '{}' });
      }
    }
    expect(failures).toEqual([]);
  });

  it('answers NUL, lone surrogates and huge strings in every documented body field with a 4xx, with every kind of credentials', async () => {
    const values = ['a\u0000b', '\ud800', 'x'.repeat(100_000), '\u202e🙂नेपाल'];
    for (const operation of operations.filter((op) => op.bodySchema && op.pathParams.length === 0)) {
      const fields = Object.keys(resolve(operation.bodySchema, operation.components)?.properties ?? {});
      for (const bearer of bearers[operation.service]) {
        for (const field of fields) {
          for (const value of values) await send(operation, [], [], bearer, { label: `${field} nasty`, contentType: 'application/json', body: JSON.stringify({ [field]: value }) });
        }
      }
    }
    expect(failures).toEqual([]);
  });

  it.each(operations.map((operation) => [`${operation.service} ${operation.method} ${operation.path}`, operation] as const))('%s: no 5xx and no stack trace for fuzzed input', async (_name, operation) => {
    const before = failures.length;
    const input = fc.record({
      pathValues: fc.array(fc.oneof(nastyString.map((value) => encodePathSegment(value, false)), fc.constantFrom('%00', '..%2f..%2f', '%E0%A4%A', '..', 'demo-provider@hcx', 'DEMO', '2501', 'demobank')), { minLength: operation.pathParams.length, maxLength: operation.pathParams.length }),
      query: fc.array(fc.tuple(operation.queryParams.length ? fc.constantFrom(...operation.queryParams, 'extra') : fc.constant('extra'), nastyString), { maxLength: 6 }),
      bearer: fc.constantFrom(...bearers[operation.service]),
      body: operation.method === 'GET' ? fc.constant<BodyCase>({ label: 'no body' }) : bodyCases(operation),
      header: operation.headerParams.length ? fc.string({ unit: 'binary-ascii', maxLength: 200 }).map((value) => value.replace(/[^\x20-\x7e]/g, '')) : fc.constant(''),
    });
    await fc.assert(
      fc.asyncProperty(input, async ({ pathValues, query, bearer, body, header }) => {
        const extraHeaders = Object.fromEntries(operation.headerParams.map((name) => [name, header]));
        await send(operation, pathValues, query, bearer, body, extraHeaders);
      }),
      { seed: SEED, numRuns: RUNS },
    );
    expect(failures.slice(before)).toEqual([]);
  });

  it('leaves every service Ready', async () => {
    for (const service of SERVICES) {
      const response = await fetch(`${platform.urls[service]}/health/ready`);
      expect({ service, status: response.status }).toEqual({ service, status: 200 });
    }
    expect(tried).toBeGreaterThan(1000);
  });
});
