import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DynamicModule } from '@nestjs/common';
import type { Request, RequestHandler, Response } from 'express';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { pinoHttp } from 'pino-http';
import { correlationIdOfResponse } from './request-context';

/** Probes and scrapes are answered many times a minute; logging them would bury the requests. */
function isProbe(request: IncomingMessage): boolean {
  const path = (request.url ?? '').split('?')[0];
  return path.startsWith('/health') || path === '/metrics';
}

/**
 * The access log: one line per request (`request completed`, or `request failed` for a 5xx) with
 * its correlation id, method, path, status, duration and peer address, through pino-http. Headers
 * and bodies are never logged (they carry tokens and signatures).
 *
 * Mounted by the service's bootstrap right after the request context (which assigns the
 * correlation id), before the body parsers, so a request refused while its body is read is logged
 * too; `RequestLoggerModule` then binds the request's logger for nestjs-pino's `PinoLogger`.
 */
export function createRequestLogger(logger: Logger): RequestHandler {
  const summary = (request: IncomingMessage, response: ServerResponse, durationMs: number) => ({
    method: request.method,
    path: (request as Request).path ?? (request.url ?? '').split('?')[0],
    status: response.statusCode,
    durationMs,
    ip: request.socket?.remoteAddress,
  });
  return pinoHttp({
    logger,
    genReqId: (_request, response) => correlationIdOfResponse(response as Response),
    quietReqLogger: true,
    quietResLogger: true,
    customAttributeKeys: { reqId: 'correlationId' },
    autoLogging: { ignore: isProbe },
    customLogLevel: (_request, response) => (response.statusCode >= 500 ? 'warn' : 'info'),
    customSuccessMessage: () => 'request completed',
    customErrorMessage: () => 'request failed',
    customSuccessObject: (request, response, value: { responseTime: number }) => summary(request, response, value.responseTime),
    // The error itself is logged once, redacted, by the exception filter that answered it.
    customErrorObject: (request, response, _error, value: { responseTime: number }) => summary(request, response, value.responseTime),
  }) as unknown as RequestHandler;
}

/**
 * nestjs-pino over the request logger above (`useExisting`: the pino-http middleware is already
 * mounted): a provider that injects `PinoLogger` writes through the current request's logger, so
 * its lines carry the request's correlation id.
 */
export const RequestLoggerModule: DynamicModule = LoggerModule.forRoot({ useExisting: true });
