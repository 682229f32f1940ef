import pino from 'pino';
import type { Logger, LoggerOptions } from 'pino';
import { currentCorrelationId } from './log-context';
import { redactSecrets } from './redact';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** JSON logs with secrets removed from every object logged (formatters.log runs on each line). */
export function createLogger(service: string, level: LogLevel = 'info', destination?: pino.DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service },
    messageKey: 'message',
    timestamp: pino.stdTimeFunctions.isoTime,
    // Every line written while a request or an event is handled names its correlation id.
    // A request's own logger (request-logging.ts, bound by nestjs-pino) already names it in its bindings.
    mixin: (_object, _level, instance) => {
      const correlationId = currentCorrelationId();
      return correlationId && !('correlationId' in instance.bindings()) ? { correlationId } : {};
    },
    formatters: {
      level: (label) => ({ level: label }),
      log: (object) => redactSecrets(object),
    },
    hooks: {
      // Interpolated message strings are redacted too (a secret in a message is still a secret).
      logMethod(args, method) {
        const redacted = args.map((arg) => (typeof arg === 'string' ? redactSecrets(arg) : arg)) as Parameters<typeof method>;
        method.apply(this, redacted);
      },
    },
    serializers: {
      err: (error: unknown) => redactSecrets(error),
      error: (error: unknown) => redactSecrets(error),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
