import { HttpException, HttpStatus } from '@nestjs/common';

/** A protocol-neutral description of an HTTP-level failure; each protocol filter renders it. */
export interface HttpProblem {
  status: number;
  code: string;
  message: string;
  /** true for failures that are the server's fault (log them, hide details). */
  internal: boolean;
}

/**
 * Classifies what Nest/Express can throw before a controller runs (malformed JSON, oversized body,
 * unknown route, validation pipe) so bad input is always a 4xx, never a 500 with a stack trace.
 */
export function toHttpProblem(exception: unknown): HttpProblem {
  const bodyParserType = (exception as { type?: unknown } | null)?.type;
  if (bodyParserType === 'entity.too.large') return { status: 413, code: 'ERR_BODY_TOO_LARGE', message: 'request body too large', internal: false };
  if (bodyParserType === 'entity.parse.failed') return { status: 400, code: 'ERR_MALFORMED_BODY', message: 'request body is not valid JSON', internal: false };
  if (bodyParserType === 'request.nul.character.body') return { status: 400, code: 'ERR_MALFORMED_BODY', message: 'NUL characters and unpaired surrogates are not accepted in the request body', internal: false };
  if (bodyParserType === 'request.nul.character.url') return { status: 400, code: 'ERR_BAD_REQUEST', message: 'NUL characters are not accepted in the URL', internal: false };
  if (typeof bodyParserType === 'string' && bodyParserType.startsWith('encoding.')) {
    return { status: 415, code: 'ERR_UNSUPPORTED_ENCODING', message: 'unsupported content encoding', internal: false };
  }
  if (exception instanceof HttpException) {
    const status = exception.getStatus();
    const response = exception.getResponse();
    const raw = typeof response === 'string' ? response : (response as { message?: unknown }).message;
    const message = Array.isArray(raw) ? raw.join('; ') : typeof raw === 'string' ? raw : exception.message;
    const code = status === HttpStatus.NOT_FOUND ? 'ERR_NOT_FOUND' : status === HttpStatus.METHOD_NOT_ALLOWED ? 'ERR_METHOD_NOT_ALLOWED' : status === HttpStatus.TOO_MANY_REQUESTS ? 'ERR_RATE_LIMITED' : status >= 500 ? 'ERR_INTERNAL' : 'ERR_BAD_REQUEST';
    return { status, code, message: status >= 500 ? 'internal error' : message, internal: status >= 500 };
  }
  const status = (exception as { status?: unknown; statusCode?: unknown } | null)?.status ?? (exception as { statusCode?: unknown } | null)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    return { status, code: 'ERR_BAD_REQUEST', message: 'bad request', internal: false };
  }
  return { status: 500, code: 'ERR_INTERNAL', message: 'internal error', internal: true };
}
