import { loadConfig } from '@npi/config';
import type { RuntimeConfig, ServiceDefinition } from './service-definition';
import { startService } from './start-service';

/**
 * Entry point for `node dist/apps/<svc>/src/main.js` (distributed mode): validates config once,
 * starts, and shuts down gracefully on SIGTERM/SIGINT (stop taking requests, finish in-flight ones,
 * stop consumers, flush the outbox, close connections) within SHUTDOWN_GRACE_MS.
 */
export async function runService<Config extends RuntimeConfig>(definition: ServiceDefinition<Config>): Promise<void> {
  let config: Config;
  try {
    config = loadConfig(definition.name, definition.configSchema, process.env);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    process.exit(78); // EX_CONFIG
  }
  const service = await startService(definition, config);
  const shutdown = (signal: string) => {
    service.deps.logger.info({ signal }, 'shutdown requested');
    const timer = setTimeout(() => {
      service.deps.logger.error('graceful shutdown timed out');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS);
    timer.unref();
    service.stop().then(
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
