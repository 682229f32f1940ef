/**
 * hcx-gateway's OpenAPI document (docs/openapi/hcx-gateway.json, generated from the code) against the
 * HCX v0.9 reference documents (docs/reference/hcx-v0.9): every path of the protocol and registry
 * documents is served under the protocol prefix with the same method, accepts the document's request
 * properties, answers with the document's success code and properties, and documents ErrorResponse.
 * Deliberate deviations are listed here and in the app's README.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';

type Schema = { $ref?: string; allOf?: Schema[]; oneOf?: Schema[]; properties?: Record<string, Schema>; required?: string[]; type?: string; items?: Schema };
type Operation = { requestBody?: { content?: Record<string, { schema?: Schema }> }; responses?: Record<string, { content?: Record<string, { schema?: Schema }> }> };
type Doc = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, Schema> } };

const root = path.join(__dirname, '..', '..', '..');
const PREFIX = '/v0.8';
const ours = JSON.parse(fs.readFileSync(path.join(root, 'docs/openapi/hcx-gateway.json'), 'utf8')) as Doc;
const reference = (file: string) => yaml.load(fs.readFileSync(path.join(root, 'docs/reference/hcx-v0.9', file), 'utf8')) as Doc;
const protocol = reference('openapi_hcx.yaml');
const registry = reference('openapi_hcx_registry.yml');
/** Every path of the notification document (on_subscribe, which the document does not define, is tested in the e2e tier). */
const notifications = reference('openapi_hcx_notifications.yaml');

/** Names a request of the reference may carry that hcx-gateway deliberately does not take (README "HCX registry API"). */
const NOT_ACCEPTED: Record<string, string[]> = {};
const EXTRA_REQUIRED = ['primaryEmail', 'participant_name'];
/** `required` names of the reference that are not properties (typos in the document: participate_name, mobile). */
const isProperty = (schema: Schema, name: string) => name in (schema.properties ?? {});

function resolve(doc: Doc, schema: Schema | undefined): Schema[] {
  if (!schema) return [];
  if (schema.$ref) {
    const name = schema.$ref.split('/').pop() as string;
    const source = schema.$ref.startsWith('#') ? doc : protocol;
    return resolve(source, source.components?.schemas?.[name]);
  }
  // `required` beside a `oneOf` (the notification document's subscribe) applies to every alternative.
  if (schema.oneOf) return schema.oneOf.flatMap((alternative) => resolve(doc, alternative)).map((alternative) => (schema.required ? { ...alternative, required: [...new Set([...(alternative.required ?? []), ...schema.required])] } : alternative));
  if (schema.allOf) {
    const parts = schema.allOf.flatMap((part) => resolve(doc, part));
    return [{ type: 'object', properties: Object.assign({}, schema.properties, ...parts.map((p) => p.properties ?? {})), required: [...(schema.required ?? []), ...parts.flatMap((p) => p.required ?? [])] }];
  }
  return [schema];
}

const bodyOf = (doc: Doc, operation: Operation | undefined) => resolve(doc, operation?.requestBody?.content?.['application/json']?.schema);
const answerOf = (doc: Doc, operation: Operation | undefined, status: string) => resolve(doc, operation?.responses?.[status]?.content?.['application/json']?.schema);
const propertyNames = (schemas: Schema[]) => schemas.map((schema) => Object.keys(schema.properties ?? {}).sort());

describe.each([
  ['protocol (openapi_hcx.yaml)', protocol],
  ['registry (openapi_hcx_registry.yml)', registry],
  ['notifications (openapi_hcx_notifications.yaml)', notifications],
])('OpenAPI conformance: %s', (_name, doc) => {
  const operations = Object.entries(doc.paths).flatMap(([p, methods]) => Object.keys(methods).map((method) => [p, method] as const));

  it('serves every path of the document under the protocol prefix with the same method', () => {
    const missing = operations.filter(([p, method]) => !ours.paths[`${PREFIX}${p}`]?.[method]).map(([p, method]) => `${method.toUpperCase()} ${p}`);
    expect(missing).toEqual([]);
  });

  it.each(operations)('%s %s: request properties accepted, success code and answer properties, ErrorResponse documented', (p, method) => {
    const theirs = doc.paths[p][method];
    const mine = ours.paths[`${PREFIX}${p}`][method];
    // Request: each alternative of the reference has a served alternative with at least its properties.
    const myBodies = bodyOf(ours, mine);
    for (const alternative of bodyOf(doc, theirs)) {
      const wanted = Object.keys(alternative.properties ?? {}).filter((name) => !(NOT_ACCEPTED[p] ?? []).includes(name));
      const match = myBodies.find((candidate) => wanted.every((name) => name in (candidate.properties ?? {})));
      expect({ path: p, accepts: match ? wanted : propertyNames(myBodies) }).toEqual({ path: p, accepts: wanted });
      // Nothing the reference makes optional is required by us, except what the README documents:
      // primaryEmail (where client secrets are delivered) and participant_name (the document's
      // `required` spells it `participate_name`).
      const mineRequired = (match?.required ?? []).filter((name) => !(alternative.required ?? []).includes(name));
      expect({ path: p, extraRequired: mineRequired.filter((name) => !EXTRA_REQUIRED.includes(name)) }).toEqual({ path: p, extraRequired: [] });
      // What the reference requires (and is a property), we require too — except `status` on create (default Created).
      const notRequired = (alternative.required ?? []).filter((name) => isProperty(alternative, name) && name !== 'status' && !(match?.required ?? []).includes(name));
      expect({ path: p, notRequired }).toEqual({ path: p, notRequired: [] });
    }
    // Success: the document's 2xx code, and at least its answer properties.
    const success = Object.keys(theirs.responses ?? {}).filter((code) => code.startsWith('2'));
    for (const code of success) {
      expect({ path: p, code, served: Boolean(mine.responses?.[code]) }).toEqual({ path: p, code, served: true });
      const wanted = propertyNames(answerOf(doc, theirs, code)).flat();
      const served = propertyNames(answerOf(ours, mine, code)).flat();
      expect({ path: p, missing: wanted.filter((name) => !served.includes(name)) }).toEqual({ path: p, missing: [] });
    }
    // Errors: every error code of the document with an ErrorResponse answer has a served error answer with its required fields.
    const errorShape = answerOf(doc, theirs, '400')[0];
    if (errorShape) {
      const servedError = answerOf(ours, mine, '400')[0] ?? answerOf(ours, mine, '404')[0];
      expect({ path: p, missing: (errorShape.required ?? []).filter((name) => !(name in (servedError?.properties ?? {}))) }).toEqual({ path: p, missing: [] });
    }
  });
});

describe('OpenAPI conformance: roles, statuses and the read answer of the registry', () => {
  const read = resolve(registry, registry.components?.schemas?.ParticipantReadResponse)[0];
  const mine = answerOf(ours, ours.paths[`${PREFIX}/participant/read/{participant_code}`].get, '200')[0];
  it('answers every property of ParticipantReadResponse with the same type', () => {
    for (const [name, schema] of Object.entries(read.properties ?? {})) {
      expect({ name, type: mine.properties?.[name]?.type }).toEqual({ name, type: schema.type });
    }
  });
  it('accepts every role and status value of the document', () => {
    const roles = (read.properties?.roles.items as { enum: string[] }).enum;
    const statuses = (read.properties?.status.items as { enum: string[] }).enum;
    expect((mine.properties?.roles.items as { enum: string[] }).enum).toEqual(expect.arrayContaining(roles));
    expect((mine.properties?.status.items as { enum: string[] }).enum).toEqual(statuses);
  });
});
