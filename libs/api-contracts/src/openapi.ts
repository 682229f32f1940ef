import { ApiExtension, ApiResponse, ApiSecurity } from '@nestjs/swagger';
import { cleanupOpenApiDoc, createZodDto } from 'nestjs-zod';
import type { OpenAPIObject } from '@nestjs/swagger';

/** A DTO class made from a zod schema: the schema validates (ZodBodyPipe) and documents (OpenAPI). */
export { createZodDto };

/** Where @nestjs/swagger keeps a handler's @ApiResponse entries (its API_RESPONSE_METADATA; not exported). */
const API_RESPONSE_METADATA = 'swagger/apiResponse';

type ZodDtoClass = { schema: { parse(value: unknown): unknown }; isZodDto: true } & (new () => unknown);

interface ResponseMetadata {
  type?: unknown;
  schema?: unknown;
  content?: unknown;
  description?: string;
}

/**
 * A documented JSON answer: its shape (a `createZodDto` class) and an example. The example is parsed
 * with the shape's own schema when the controller is loaded, so a document can never show an example
 * its schema refuses.
 */
export function ApiJsonResponse(status: number, dto: ZodDtoClass | [ZodDtoClass], example: unknown, description = ''): MethodDecorator & ClassDecorator {
  if (Array.isArray(dto)) {
    if (!Array.isArray(example)) throw new Error(`ApiJsonResponse: the example of a list of ${dto[0].name} must be an array`);
    for (const item of example) dto[0].schema.parse(item);
  } else {
    dto.schema.parse(example);
  }
  return ApiResponse({ status, type: dto, example, description });
}

/**
 * Controller-level: every documented error response (4xx/5xx) of every route that does not name a
 * body gets `dto` — the error body this controller's protocol filter renders (OAuth error, NCHL
 * technical format, HCX ErrorResponse, platform error). `always` adds responses every route can give
 * (e.g. 500) where a route documents none.
 */
export function ApiErrorBody(dto: ZodDtoClass, always: Record<number, string> = {}): ClassDecorator {
  return (target) => {
    const prototype = (target as unknown as { prototype: Record<string, unknown> }).prototype;
    for (const name of Object.getOwnPropertyNames(prototype)) {
      if (name === 'constructor') continue;
      const handler = Object.getOwnPropertyDescriptor(prototype, name)?.value as unknown;
      if (typeof handler !== 'function' || !Reflect.hasMetadata('path', handler)) continue;
      const responses = { ...((Reflect.getMetadata(API_RESPONSE_METADATA, handler) as Record<string, ResponseMetadata> | undefined) ?? {}) };
      for (const [status, description] of Object.entries(always)) responses[status] ??= { description };
      for (const [status, entry] of Object.entries(responses)) {
        if (Number(status) < 400 || entry.type || entry.schema || entry.content) continue;
        responses[status] = { ...entry, type: dto, isArray: false } as ResponseMetadata;
      }
      Reflect.defineMetadata(API_RESPONSE_METADATA, responses, handler);
    }
  };
}

/**
 * A route anyone may call (health, discovery, the Billers page's own cookie-checked calls): an
 * explicit empty security requirement, so a document never leaves a partner guessing.
 */
export function ApiPublic(): MethodDecorator & ClassDecorator {
  return ApiSecurity({});
}

/** A POST/PUT/PATCH that takes no body at all (e.g. a rotation): said explicitly, so the completeness test can tell it from a forgotten schema. */
export function ApiNoBody(): MethodDecorator {
  return ApiExtension('x-request-body', 'none') as MethodDecorator;
}

/**
 * OpenAPI 3.0 allows `nullable` only beside a `type`; a nullable zod union comes out as
 * `{oneOf: [...], nullable: true}`. The same meaning in valid 3.0: each alternative is nullable.
 */
export function nullableAlternatives(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(nullableAlternatives);
  if (!node || typeof node !== 'object') return node;
  const entries = Object.entries(node as Record<string, unknown>).map(([key, value]) => [key, nullableAlternatives(value)] as const);
  const result = Object.fromEntries(entries) as Record<string, unknown>;
  for (const combiner of ['oneOf', 'anyOf'] as const) {
    const alternatives = result[combiner];
    if (result.nullable !== true || result.type !== undefined || !Array.isArray(alternatives)) continue;
    if (!alternatives.every((alternative) => alternative && typeof alternative === 'object' && (alternative as Record<string, unknown>).type !== undefined)) continue;
    result[combiner] = alternatives.map((alternative) => ({ ...(alternative as Record<string, unknown>), nullable: true }));
    delete result.nullable;
  }
  return result;
}

/** Final touches every service document gets: nestjs-zod's schema clean-up (components, 3.0 forms), valid 3.0 nullables. */
export function finishOpenApiDocument(document: OpenAPIObject): OpenAPIObject {
  return nullableAlternatives(cleanupOpenApiDoc(document)) as OpenAPIObject;
}
