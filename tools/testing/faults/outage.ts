/**
 * The outage script both fault specs share: traffic flows, a dependency (the test's own PostgreSQL
 * or Kafka) stops for a while and comes back, and the services' readiness is watched throughout.
 */
import type { ServiceProcess } from './service-process';
import { sleep } from './service-process';

/** What can be stopped and started again (PrivatePostgres, PrivateKafka). */
export interface Dependency {
  stop(): Promise<void>;
  start(): Promise<void>;
}

/** A load generator running in the background until stopped (HcxLoad, NpiLoad). */
export interface BackgroundLoad {
  start(): void;
  stop(): Promise<void>;
}

export interface OutageOptions {
  load: BackgroundLoad;
  dependency: Dependency;
  /** Polled every 500 ms while the dependency is away. */
  services: readonly ServiceProcess[];
  /** Traffic before the dependency stops. */
  warmUpMs: number;
  /** How long the dependency stays away. */
  outageMs: number;
  /** Wait (at most 60 s) until every service is ready again after the dependency returned. */
  waitReady?: boolean;
}

export interface Outage {
  /** When the dependency was stopped, and when it was started again. */
  startedAt: number;
  endedAt: number;
  /** Readiness answers of each service (by app name) during the outage. */
  readiness: Record<string, number[]>;
  /** With `waitReady`: ms from the dependency's return until each service (by app name) was ready. */
  readyAfterMs: Record<string, number>;
}

/** Runs the load through an outage of the dependency; the load is stopped 3 s after the dependency returned (and the services were ready again). */
export async function throughOutage(options: OutageOptions): Promise<Outage> {
  const { load, dependency, services } = options;
  const readiness: Record<string, number[]> = Object.fromEntries(services.map((service) => [service.app, []]));
  load.start();
  await sleep(options.warmUpMs);
  await dependency.stop();
  const startedAt = Date.now();
  while (Date.now() - startedAt < options.outageMs) {
    for (const service of services) readiness[service.app].push(await service.readiness());
    await sleep(500);
  }
  await dependency.start();
  const endedAt = Date.now();
  const readyAfterMs: Record<string, number> = {};
  if (options.waitReady) {
    await Promise.all(
      services.map(async (service) => {
        while ((await service.readiness()) !== 200) {
          if (Date.now() - endedAt > 60_000) throw new Error(`${service.app} not ready 60 s after the dependency returned`);
          await sleep(100);
        }
        readyAfterMs[service.app] = Date.now() - endedAt;
      }),
    );
  }
  await sleep(3_000);
  await load.stop();
  return { startedAt, endedAt, readiness, readyAfterMs };
}
