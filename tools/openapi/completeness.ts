/**
 * What a partner needs from each operation of docs/openapi/*.json to generate a working client:
 * declared security (with known schemes), a request schema, a 2xx answer with schema and example,
 * and a body schema for every documented error; each schema a real one (not an example alone). Used by openapi-completeness.spec.ts.
 */
import fs from 'node:fs';
import path from 'node:path';

export const OPENAPI_DIR = path.join(__dirname, '..', '..', 'docs', 'openapi');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

interface SchemaObject {
  $ref?: string;
  type?: string;
  properties?: unknown;
  additionalProperties?: unknown;
  items?: unknown;
  allOf?: unknown[];
  oneOf?: unknown[];
  anyOf?: unknown[];
}
interface MediaObject {
  schema?: SchemaObject;
  example?: unknown;
  examples?: unknown;
}
interface ResponseObject {
  content?: Record<string, MediaObject>;
}
interface OperationObject {
  security?: Array<Record<string, unknown>>;
  requestBody?: { content?: Record<string, MediaObject> };
  parameters?: Array<{ name: string; schema?: unknown }>;
  responses?: Record<string, ResponseObject>;
  'x-request-body'?: string;
}
export interface OpenApiDocument {
  info?: { version?: string };
  servers?: Array<{ url: string }>;
  components?: { securitySchemes?: Record<string, { type?: string; scheme?: string }>; schemas?: Record<string, SchemaObject> };
  paths: Record<string, Record<string, OperationObject>>;
}

export function loadDocuments(dir = OPENAPI_DIR): Array<{ service: string; document: OpenApiDocument }> {
  return fs
    .readdirSync(dir)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({ service: file.replace(/\.json$/, ''), document: JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8')) as OpenApiDocument }));
}

/** Problems of the document as a whole: servers, version, security schemes. */
export function documentGaps(document: OpenApiDocument): string[] {
  const gaps: string[] = [];
  if (!document.info?.version) gaps.push('info.version missing');
  if (!document.servers?.length) gaps.push('servers missing');
  return gaps;
}

/**
 * A schema a client generator can build a type from: a `$ref` to such a schema, a composition of
 * such schemas, or a `type` (an object with its properties or additionalProperties, an array with
 * such items). `{example: ...}` alone, or `{type: 'object'}` with nothing inside, describes nothing.
 */
export function isRealSchema(schema: unknown, document: OpenApiDocument, seen = new Set<string>()): boolean {
  if (!schema || typeof schema !== 'object') return false;
  const node = schema as SchemaObject;
  if (typeof node.$ref === 'string') {
    if (seen.has(node.$ref)) return true; // recursive shapes: judged where they start
    const name = /^#\/components\/schemas\/(.+)$/.exec(node.$ref)?.[1];
    return name !== undefined && isRealSchema(document.components?.schemas?.[name], document, new Set(seen).add(node.$ref));
  }
  for (const combiner of ['allOf', 'oneOf', 'anyOf'] as const) {
    const parts = node[combiner];
    if (Array.isArray(parts) && parts.length > 0) return parts.every((part) => isRealSchema(part, document, seen));
  }
  if (typeof node.type !== 'string') return false;
  if (node.type === 'object') return node.properties !== undefined || node.additionalProperties !== undefined;
  if (node.type === 'array') return isRealSchema(node.items, document, seen);
  return true;
}

/** Every operation as `METHOD /path` → the rules it breaks (empty when complete). */
export function operationGaps(document: OpenApiDocument): Map<string, string[]> {
  const schemes = document.components?.securitySchemes ?? {};
  const result = new Map<string, string[]>();
  for (const [route, item] of Object.entries(document.paths)) {
    for (const method of METHODS) {
      const operation = item[method];
      if (!operation) continue;
      const gaps: string[] = [];
      if (!Array.isArray(operation.security)) gaps.push('security not declared');
      for (const requirement of operation.security ?? []) for (const name of Object.keys(requirement)) if (!schemes[name]) gaps.push(`unknown security scheme ${name}`);
      if (route.startsWith('/oauth/') && !(operation.security ?? []).some((r) => Object.keys(r).some((name) => schemes[name]?.type === 'http' && schemes[name]?.scheme === 'basic'))) {
        gaps.push('OAuth endpoint without HTTP Basic client authentication');
      }
      for (const parameter of operation.parameters ?? []) if (!parameter.schema) gaps.push(`parameter ${parameter.name} without schema`);
      if (operation.requestBody) {
        const media = Object.values(operation.requestBody.content ?? {});
        if (media.length === 0 || media.some((m) => !m.schema)) gaps.push('request body without schema');
        else if (media.some((m) => !isRealSchema(m.schema, document))) gaps.push('request body schema is only an example or an untyped object');
        if (route.startsWith('/oauth/') && !isRealSchema(operation.requestBody.content?.['application/x-www-form-urlencoded']?.schema, document)) {
          gaps.push('OAuth endpoint without an application/x-www-form-urlencoded request schema');
        }
      } else if (['post', 'put', 'patch'].includes(method) && operation['x-request-body'] !== 'none') {
        gaps.push('request body not documented');
      }
      const responses = Object.entries(operation.responses ?? {});
      const success = responses.filter(([status]) => /^[23]/.test(status));
      if (success.length === 0) gaps.push('no 2xx response');
      for (const [status, response] of success) {
        if (status === '204' || status.startsWith('3')) continue;
        const media = Object.values(response.content ?? {});
        if (media.length === 0 || media.some((m) => !m.schema)) gaps.push(`${status} without schema`);
        else if (media.some((m) => !isRealSchema(m.schema, document))) gaps.push(`${status} schema is only an example or an untyped object`);
        else if (media.some((m) => m.example === undefined && m.examples === undefined)) gaps.push(`${status} without example`);
      }
      const errors = responses.filter(([status]) => /^[45]/.test(status) || status === 'default');
      if (errors.length === 0) gaps.push('no error response documented');
      for (const [status, response] of errors) {
        const media = Object.values(response.content ?? {});
        if (media.length === 0 || media.some((m) => !m.schema)) gaps.push(`${status} without body schema`);
        else if (media.some((m) => !isRealSchema(m.schema, document))) gaps.push(`${status} body schema is only an example or an untyped object`);
      }
      result.set(`${method.toUpperCase()} ${route}`, gaps);
    }
  }
  return result;
}
