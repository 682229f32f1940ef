import { z } from 'zod';
import { ZodBodyPipe, describeIssues } from './zod-body.pipe';
import { ApiErrorBody, ApiJsonResponse, createZodDto, nullableAlternatives } from './openapi';
import type { ContractIssue } from './zod-body.pipe';

class ProtocolError extends Error {
  constructor(readonly issues: readonly ContractIssue[]) {
    super(describeIssues(issues));
  }
}

class WidgetDto extends createZodDto(z.object({ name: z.string().min(1), size: z.number().int().default(1) }).strict()) {}

describe('ZodBodyPipe', () => {
  const pipe = new ZodBodyPipe((issues) => new ProtocolError(issues));

  it('returns the parsed body, with defaults applied', () => {
    expect(pipe.transform({ name: 'a' }, { type: 'body', metatype: WidgetDto })).toEqual({ name: 'a', size: 1 });
  });

  it("throws the protocol's own error naming every failed path", () => {
    let thrown: unknown;
    try {
      pipe.transform({ name: '', size: 'x', extra: true }, { type: 'body', metatype: WidgetDto });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ProtocolError);
    expect((thrown as ProtocolError).issues.map((issue) => issue.path)).toEqual(['name', 'size', '(body)']);
    expect((thrown as ProtocolError).message).toContain('name: String must contain at least 1 character(s)');
  });

  it('names the whole body "(body)" when it is not an object at all, and checks a missing body as {}', () => {
    expect(() => pipe.transform('text', { type: 'body', metatype: WidgetDto })).toThrow('(body): Expected object, received string');
    expect(() => pipe.transform(undefined, { type: 'body', metatype: WidgetDto })).toThrow('name: Required');
  });

  it('gives the factory the raw path segments and the value as received', () => {
    const seen: { issues: readonly ContractIssue[]; value: unknown }[] = [];
    const recording = new ZodBodyPipe((issues, _source, value) => {
      seen.push({ issues, value });
      return new ProtocolError(issues);
    });
    class ListDto extends createZodDto(z.object({ items: z.array(z.object({ amount: z.number() })) })) {}
    const body = { items: [{ amount: 'x' }] };
    expect(() => recording.transform(body, { type: 'body', metatype: ListDto })).toThrow(ProtocolError);
    expect(seen[0].issues[0]).toMatchObject({ path: 'items.0.amount', segments: ['items', 0, 'amount'] });
    expect(seen[0].value).toBe(body);
  });

  it('checks a missing body as undefined when told so', () => {
    const strict = new ZodBodyPipe((issues) => new ProtocolError(issues), { missingBodyAsEmptyObject: false });
    expect(() => strict.transform(undefined, { type: 'body', metatype: WidgetDto })).toThrow('(body): Required');
  });

  it('fails closed when the parameter is not typed with a zod DTO', () => {
    class PlainDto {}
    expect(() => pipe.transform({ name: 'a' }, { type: 'body', metatype: PlainDto })).toThrow(/not typed with a createZodDto class/);
    expect(() => pipe.transform({ name: 'a' }, { type: 'body' })).toThrow(/not typed with a createZodDto class/);
  });
});

describe('ApiJsonResponse', () => {
  it('refuses an example its own schema refuses', () => {
    expect(() => ApiJsonResponse(200, WidgetDto, { name: 7 })).toThrow();
    expect(() => ApiJsonResponse(200, [WidgetDto], [{ name: 'a' }, { size: 2 }])).toThrow();
    expect(() => ApiJsonResponse(200, [WidgetDto], [{ name: 'a' }])).not.toThrow();
  });
});

describe('ApiErrorBody', () => {
  class ErrorDto extends createZodDto(z.object({ error: z.string() })) {}

  it('gives every documented error response of every route the error body, and adds the always-present ones', () => {
    class Controller {
      handler(): string {
        return 'ok';
      }
    }
    const handler = Controller.prototype.handler;
    Reflect.defineMetadata('path', '/', handler);
    Reflect.defineMetadata('swagger/apiResponse', { 200: { description: 'ok', type: WidgetDto }, 404: { description: 'missing' } }, handler);
    ApiErrorBody(ErrorDto, { 500: 'internal' })(Controller);
    const responses = Reflect.getMetadata('swagger/apiResponse', handler) as Record<string, { type?: unknown; description?: string }>;
    expect(responses[200].type).toBe(WidgetDto);
    expect(responses[404]).toMatchObject({ description: 'missing', type: ErrorDto });
    expect(responses[500]).toMatchObject({ description: 'internal', type: ErrorDto });
  });
});

describe('nullableAlternatives', () => {
  it('moves nullable onto each typed alternative (OpenAPI 3.0 wants a type beside nullable)', () => {
    expect(nullableAlternatives({ properties: { a: { oneOf: [{ type: 'string' }, { type: 'number' }], nullable: true } } })).toEqual({
      properties: { a: { oneOf: [{ type: 'string', nullable: true }, { type: 'number', nullable: true }] } },
    });
    const withRef = { oneOf: [{ $ref: '#/components/schemas/X' }], nullable: true };
    expect(nullableAlternatives(withRef)).toEqual(withRef);
  });
});
