import { Injectable } from '@nestjs/common';
import type { ArgumentMetadata, PipeTransform } from '@nestjs/common';

/** One failed rule of a request shape: where (`a.b.0`, or `(body)` for the whole value) and why. */
export interface ContractIssue {
  path: string;
  message: string;
  /** The same place as keys and list indexes (`[]` for the whole value), for protocols that print paths their own way (`list[0].amount`). */
  segments: readonly (string | number)[];
}

/**
 * Builds the protocol's own domain error (OAuth invalid_request, NCHL format error, HCX error...)
 * from the issues; `value` is the input as received (e.g. to echo an id the refusal is signed over).
 */
export type ContractErrorFactory = (issues: readonly ContractIssue[], source: ArgumentMetadata['type'], value: unknown) => Error;

export interface ZodBodyPipeOptions {
  /**
   * A request without a body (Express leaves `req.body` undefined) is checked as `{}` (the default),
   * so the answer names the missing fields; `false` checks `undefined` itself, for protocols whose
   * documented answer to a missing body is one "body: Required".
   */
  missingBodyAsEmptyObject?: boolean;
}

interface SafeParser {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: ReadonlyArray<{ path: ReadonlyArray<string | number>; message: string }> } };
}

/** `path: message; path: message` — the wording the services have always answered with. */
export function describeIssues(issues: readonly ContractIssue[]): string {
  return issues.map((issue) => `${issue.path}: ${issue.message}`).join('; ');
}

/**
 * Validates `@Body()` (or `@Query()`/`@Param()`) against the zod schema of its DTO class (made with
 * `createZodDto`), so the schema that validates is also the one in the OpenAPI document. The handler
 * receives the parsed value (defaults applied, unknown keys handled as the schema says). A failure
 * becomes the error the route's protocol filter already knows, built by `toError`; the pipe itself
 * knows no protocol.
 *
 * A parameter without a zod DTO type is a programming error: it fails closed (500, logged) instead
 * of letting unvalidated input through.
 */
@Injectable()
export class ZodBodyPipe implements PipeTransform {
  constructor(
    private readonly toError: ContractErrorFactory,
    private readonly options: ZodBodyPipeOptions = {},
  ) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    if (metadata.type === 'custom') return value;
    const dto = metadata.metatype as { isZodDto?: unknown; schema?: unknown } | undefined;
    if (dto?.isZodDto !== true || !dto.schema) throw new Error(`ZodBodyPipe: the ${metadata.type}${metadata.data ? ` "${metadata.data}"` : ''} parameter is not typed with a createZodDto class`);
    // A request without a body (Express leaves req.body undefined) is checked as an empty object.
    const input = metadata.type === 'body' && value === undefined && this.options.missingBodyAsEmptyObject !== false ? {} : value;
    const result = (dto.schema as unknown as SafeParser).safeParse(input);
    if (result.success) return result.data;
    const root = metadata.type === 'body' ? '(body)' : `(${metadata.type})`;
    throw this.toError(
      result.error.issues.map((issue) => ({ path: issue.path.length > 0 ? issue.path.join('.') : root, message: issue.message, segments: [...issue.path] })),
      metadata.type,
      value,
    );
  }
}
