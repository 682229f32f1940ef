import fs from 'node:fs';
import path from 'node:path';
import { documentGaps, loadDocuments, operationGaps } from './completeness';
import type { OpenApiDocument } from './completeness';

/**
 * Operations documented before the rules existed and not yet completed, with the rules each still
 * breaks. The list may only shrink: a new operation, or a new gap of a listed one, fails; so does an
 * entry that is no longer a gap (remove it). See libs/api-contracts/README.md for the pattern.
 */
const BASELINE_FILE = path.join(__dirname, 'completeness-baseline.json');
const baseline = JSON.parse(fs.readFileSync(BASELINE_FILE, 'utf8')) as Record<string, Record<string, string[]>>;

describe('docs/openapi: what a partner needs to generate a client', () => {
  const documents = loadDocuments();

  it('finds the four service documents', () => {
    expect(documents.map((d) => d.service)).toEqual(expect.arrayContaining(['auth-service', 'hcx-gateway', 'payment-service', 'session-service']));
  });

  describe.each(documents.map((d) => [d.service, d.document] as const))('%s', (service, document) => {
    it('names its servers and version', () => {
      expect(documentGaps(document)).toEqual([]);
    });

    it('documents every operation completely (security, request schema, 2xx schema and example, error body schemas)', () => {
      const known = baseline[service] ?? {};
      const unexpected: string[] = [];
      for (const [operation, gaps] of operationGaps(document)) {
        const allowed = new Set(known[operation] ?? []);
        for (const gap of gaps) if (!allowed.has(gap)) unexpected.push(`${operation}: ${gap}`);
      }
      expect(unexpected).toEqual([]);
    });

    it('lists in the baseline only gaps that still exist', () => {
      const current = operationGaps(document);
      const fixed: string[] = [];
      for (const [operation, gaps] of Object.entries(baseline[service] ?? {})) {
        for (const gap of gaps) if (!(current.get(operation) ?? []).includes(gap)) fixed.push(`${operation}: ${gap}`);
      }
      expect(fixed).toEqual([]);
    });
  });
});

describe('the completeness rules', () => {
  const complete: OpenApiDocument = {
    info: { version: '1.0.0' },
    servers: [{ url: 'http://127.0.0.1:3001' }],
    components: {
      securitySchemes: { clientBasic: { type: 'http', scheme: 'basic' } },
      schemas: { OAuthError: { type: 'object', properties: { error: { type: 'string' } } }, ExampleOnly: { example: { error: 'x' } } as never },
    },
    paths: {
      '/oauth/token': {
        post: {
          security: [{ clientBasic: [] }],
          requestBody: { content: { 'application/x-www-form-urlencoded': { schema: { type: 'object', properties: { grant_type: { type: 'string' } } } } } },
          responses: {
            '200': { content: { 'application/json': { schema: { type: 'object', properties: { access_token: { type: 'string' } } }, example: { access_token: 'x' } } } },
            '400': { content: { 'application/json': { schema: { $ref: '#/components/schemas/OAuthError' } } } },
          },
        },
      },
    },
  };
  const media = (op: Record<string, unknown>, status: string) => (op.responses as Record<string, { content: Record<string, { schema?: unknown }> }>)[status].content['application/json'];
  const gapsOf = (mutate: (op: Record<string, unknown>) => void) => {
    const document = structuredClone(complete);
    mutate(document.paths['/oauth/token'].post as unknown as Record<string, unknown>);
    return operationGaps(document).get('POST /oauth/token');
  };

  it('accepts a complete operation', () => {
    expect(operationGaps(complete).get('POST /oauth/token')).toEqual([]);
    expect(documentGaps(complete)).toEqual([]);
  });

  it.each([
    ['security not declared', (op: Record<string, unknown>) => delete op.security],
    ['OAuth endpoint without HTTP Basic client authentication', (op: Record<string, unknown>) => (op.security = [{}])],
    ['request body not documented', (op: Record<string, unknown>) => delete op.requestBody],
    ['200 without example', (op: Record<string, unknown>) => delete (op.responses as Record<string, { content: Record<string, { example?: unknown }> }>)['200'].content['application/json'].example],
    ['200 without schema', (op: Record<string, unknown>) => delete (op.responses as Record<string, { content?: unknown }>)['200'].content],
    ['400 without body schema', (op: Record<string, unknown>) => delete (op.responses as Record<string, { content?: unknown }>)['400'].content],
    ['no error response documented', (op: Record<string, unknown>) => delete (op.responses as Record<string, unknown>)['400']],
    ['request body schema is only an example or an untyped object', (op: Record<string, unknown>) => (op.requestBody = { content: { 'application/json': { schema: { example: { grant_type: 'password' } } } } })],
    ['request body schema is only an example or an untyped object', (op: Record<string, unknown>) => (op.requestBody = { content: { 'application/json': { schema: { type: 'object' } } } })],
    ['OAuth endpoint without an application/x-www-form-urlencoded request schema', (op: Record<string, unknown>) => (op.requestBody = { content: { 'application/json': { schema: { type: 'object', properties: { grant_type: { type: 'string' } } } } } })],
    ['200 schema is only an example or an untyped object', (op: Record<string, unknown>) => (media(op, '200').schema = { example: { access_token: 'x' } })],
    ['200 schema is only an example or an untyped object', (op: Record<string, unknown>) => (media(op, '200').schema = { type: 'array', items: {} })],
    ['400 body schema is only an example or an untyped object', (op: Record<string, unknown>) => (media(op, '400').schema = { $ref: '#/components/schemas/ExampleOnly' })],
    ['400 body schema is only an example or an untyped object', (op: Record<string, unknown>) => (media(op, '400').schema = { $ref: '#/components/schemas/Missing' })],
    ['400 body schema is only an example or an untyped object', (op: Record<string, unknown>) => (media(op, '400').schema = { oneOf: [{ $ref: '#/components/schemas/OAuthError' }, { example: 1 }] })],
  ])('reports %s', (gap, mutate) => {
    expect(gapsOf(mutate)).toContain(gap);
  });

  it('reports a document without servers', () => {
    expect(documentGaps({ ...complete, servers: [] })).toEqual(['servers missing']);
  });
});
