import type { IncomingMessage } from 'node:http';
import type { DynamicModule } from '@nestjs/common';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { LoggerModule } from 'nestjs-pino';
import type { Logger } from 'pino';
import { correlationIdOfResponse } from './request-context';

/** Probes and scrapes are answered many times a minute; logging them would bury the requests. */
function isProbe(request: IncomingMessage): boolean {
  const path = (request.url ?? '').split('?')[0];
  return path.startsWith('/health') || path === '/metrics';
}

/**
 * The access log: one line per request (`request completed`, or `request failed` at warn for a 5xx)
 * with its correlation id, method, path, status, duration and peer address. Headers and bodies are
 * never logged (they carry tokens and signatures).
 *
 * Mounted by the service's bootstrap right after the request context (which assigns the
 * correlation id), before the body parsers, so a request refused while its body is read is logged
 * too; `RequestLoggerModule` then binds the request's logger (`request.log`, as pino-http names it)
 * for nestjs-pino's `PinoLogger`. Written here rather than through pino-http, which also built a
 * child logger bound to the whole request object on every request (serialised eagerly, used by
 * nobody here): a visible share of a hot endpoint's CPU.
 */
export function createRequestLogger(logger: Logger): RequestHandler {
  return (request: Request, response: Response, next: NextFunction) => {
    const log = logger.child({ correlationId: correlationIdOfResponse(response) });
    (request as Request & { log: Logger }).log = log;
    (response as Response & { log: Logger }).log = log;
    if (!isProbe(request)) {
      const started = Date.now();
      const done = (error?: unknown) => {
        response.removeListener('close', done);
        response.removeListener('finish', done);
        response.removeListener('error', done);
        const failed = error !== undefined || response.statusCode >= 500;
        const level = response.statusCode >= 500 ? 'warn' : 'info';
        if (!log.isLevelEnabled(level)) return;
        log[level](
          { method: request.method, path: request.path ?? (request.url ?? '').split('?')[0], status: response.statusCode, durationMs: Date.now() - started, ip: request.socket?.remoteAddress },
          failed ? 'request failed' : 'request completed',
        );
      };
      response.on('close', done);
      response.on('finish', done);
      response.on('error', done);
    }
    next();
  };
}

/**
 * nestjs-pino over the request logger above (`useExisting`: the access-log middleware is already
 * mounted): a provider that injects `PinoLogger` writes through the current request's logger, so
 * its lines carry the request's correlation id.
 */
export const RequestLoggerModule: DynamicModule = LoggerModule.forRoot({ useExisting: true });
