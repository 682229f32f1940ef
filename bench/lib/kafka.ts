/**
 * The bench's own Kafka broker: port BENCH_KAFKA_PORT (default 19192, controller the next port or
 * BENCH_KAFKA_CONTROLLER_PORT) and data dir `$TMPDIR/npi-platform-kafka-bench-<port>`, apart from
 * the test tier's 19092. A bench run leaves hundreds of MB of events behind; on the test broker,
 * later test runs (and any new consumer group) would replay them. The settings reach every fixture
 * child through the environment (they start the broker through the test harness's ensureKafka),
 * and the broker and its data dir are removed when the bench ends, failed or interrupted.
 * With KAFKA_BROKERS set, that cluster is used and left alone.
 */
import os from 'node:os';
import path from 'node:path';
import { destroyKafka } from '../../tools/testing/kafka-harness';
import { setBenchBroker } from './cpu';

export interface BenchKafka {
  /** Stops the bench broker and deletes its data dir; idempotent. */
  remove(): Promise<void>;
}

export function useBenchKafka(): BenchKafka {
  if (process.env.KAFKA_BROKERS?.trim()) return { remove: async () => undefined };
  const port = Number(process.env.BENCH_KAFKA_PORT ?? 19192);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`BENCH_KAFKA_PORT must be a TCP port, got '${process.env.BENCH_KAFKA_PORT}'`);
  const dataDir = path.join(os.tmpdir(), `npi-platform-kafka-bench-${port}`);
  Object.assign(process.env, {
    KAFKA_TEST_PORT: String(port),
    KAFKA_TEST_CONTROLLER_PORT: process.env.BENCH_KAFKA_CONTROLLER_PORT ?? String(port + 1),
    KAFKA_TEST_DATA_DIR: dataDir,
  });
  // CPU accounting: the broker's command line names its data dir.
  setBenchBroker(dataDir);
  let removing: Promise<void> | undefined;
  return { remove: () => (removing ??= destroyKafka()) };
}
