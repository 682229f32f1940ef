import { ConfigError, EXIT_CONFIG, EXIT_UNAVAILABLE, isStartupError, loadConfig } from '@npi/config';
import { shutdownTracing } from '@npi/observability';
import type { RuntimeConfig, ServiceDefinition } from './service-definition';
import { startService } from './start-service';
import type { RunningService } from './start-service';

/** sysexits(3) EX_SOFTWARE: a start that failed for a reason no setting explains. */
const EXIT_SOFTWARE = 70;

/**
 * Entry point for `node dist/apps/<svc>/src/main.js` (distributed mode): validates config once,
 * starts, and shuts down gracefully on SIGTERM/SIGINT (stop taking requests, finish in-flight ones,
 * stop consumers, flush the outbox, close connections) within SHUTDOWN_GRACE_MS.
 *
 * A start that fails ends with one line on stderr naming the setting, and exit code 78 (a setting
 * is wrong: missing key file, wrong passphrase) or 69 (a dependency does not answer), never a
 * stack trace or an unhandled rejection.
 */
export async function runService<Config extends RuntimeConfig>(definition: ServiceDefinition<Config>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(definition.name, definition.configSchema, process.env);
  } catch (error) {
    return exitWith(error instanceof ConfigError ? error.message : `${definition.name}: invalid configuration: ${messageOf(error)}`, EXIT_CONFIG);
  }
  let service: RunningService<Config>;
  try {
    service = await startService(definition, config);
  } catch (error) {
    const [line, code] = describeStartupFailure(definition.name, error);
    return exitWith(line, code);
  }
  const shutdown = (signal: string) => {
    service.deps.logger.info({ signal }, 'shutdown requested');
    const timer = setTimeout(() => {
      service.deps.logger.error('graceful shutdown timed out');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    timer.unref();
    service
      .stop()
      .then(() => shutdownTracing())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          service.deps.logger.error({ err: error }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

/** The one line and exit code for a failed start. */
export function describeStartupFailure(service: string, error: unknown): [line: string, exitCode: number] {
  if (isStartupError(error)) return [`${service}: cannot start: ${error.message}`, error.exitCode];
  const code = (error as { code?: unknown } | undefined)?.code;
  if (typeof code === 'string' && ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET'].includes(code)) {
    return [`${service}: cannot start: a dependency did not answer (${code}: ${messageOf(error)})`, EXIT_UNAVAILABLE];
  }
  return [`${service}: cannot start: ${messageOf(error)}`, EXIT_SOFTWARE];
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0];
}

function exitWith(line: string, code: number): void {
  process.stderr.write(`${line}\n`);
  process.exit(code);
}
