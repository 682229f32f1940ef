/**
 * Real Kafka for the integration and e2e tiers (tools/kafka/kafka.sh, Kafka 3.9 KRaft).
 *
 * - KAFKA_BROKERS set: that cluster is used as is; the harness only makes sure ALL_TOPICS exist
 *   on it (kafka.sh create-topics with KAFKA_BOOTSTRAP=$KAFKA_BROKERS) and never stops it.
 * - Otherwise: a test broker on 127.0.0.1:$KAFKA_TEST_PORT (default 19092, controller on the next
 *   port or KAFKA_TEST_CONTROLLER_PORT) with its own data dir under os.tmpdir() (or
 *   KAFKA_TEST_DATA_DIR), so tests never touch a developer's broker on 9092. stopKafka() stops it
 *   only if this process started it; a test broker left running by an earlier, interrupted run is
 *   reused and left running. The bench sets these to a broker of its own (bench/lib/kafka.ts) and
 *   removes it with destroyKafka().
 *
 * The script's progress lines (stderr) are shown unless KAFKA_HARNESS_QUIET=1. The test broker runs
 * with KAFKA_JVM_OPTS (default -XX:TieredStopAtLevel=1) and the script's other KAFKA_* settings.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ALL_TOPIC_SPECS } from '../kafka/topic-specs';

const KAFKA_SH = path.resolve(__dirname, '..', 'kafka', 'kafka.sh');
/** First start may download ~47 MB of jars through Maven, then waits up to 90 s for the broker. */
const START_TIMEOUT_MS = 10 * 60_000;
const OTHER_TIMEOUT_MS = 2 * 60_000;
/** Set in process.env while a broker this process started is running: jest's globalSetup and
 * globalTeardown share process.env even if they load this module separately. */
const STARTED_MARKER = '__NPI_KAFKA_HARNESS_STARTED';

export interface KafkaHandle {
  brokers: string;
  startedByHarness: boolean;
}

function parsePort(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`${name} must be a TCP port, got '${raw}'`);
  }
  return port;
}

function testBrokerEnv(): NodeJS.ProcessEnv {
  const port = parsePort('KAFKA_TEST_PORT', 19092);
  const controllerPort = parsePort('KAFKA_TEST_CONTROLLER_PORT', port + 1);
  return {
    ...process.env,
    KAFKA_PORT: String(port),
    KAFKA_CONTROLLER_PORT: String(controllerPort),
    KAFKA_DATA_DIR: process.env.KAFKA_TEST_DATA_DIR?.trim() || path.join(os.tmpdir(), `npi-platform-kafka-test-${port}`),
    KAFKA_BOOTSTRAP: `127.0.0.1:${port}`,
    // C1-only JIT: the test broker is ready ~30% sooner on a 2-core machine; throughput is no concern.
    KAFKA_JVM_OPTS: process.env.KAFKA_JVM_OPTS ?? '-XX:TieredStopAtLevel=1',
  };
}

function runKafkaSh(args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<string> {
  const streamStderr = process.env.KAFKA_HARNESS_QUIET !== '1';
  return new Promise((resolve, reject) => {
    const child = execFile(
      'bash',
      [KAFKA_SH, ...args],
      { env, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (!error) return resolve(stdout);
        const how = error.killed ? `timed out after ${timeoutMs / 1000} s` : `exited with ${error.code ?? error.signal}`;
        // Streamed stderr is already on the console; don't repeat it in the error.
        const output = `${streamStderr ? '' : stderr}${stdout}`.trim();
        const detail = output ? `:\n${output}` : streamStderr ? ' (see its output above)' : '';
        reject(new Error(`tools/kafka/kafka.sh ${args[0]} ${how}${detail}`));
      },
    );
    if (streamStderr) child.stderr?.on('data', (chunk) => process.stderr.write(chunk));
  });
}

export async function ensureKafka(): Promise<KafkaHandle> {
  const external = process.env.KAFKA_BROKERS?.trim();
  if (external && !process.env[STARTED_MARKER]) {
    await runKafkaSh(['create-topics', ...ALL_TOPIC_SPECS], { ...process.env, KAFKA_BOOTSTRAP: external }, START_TIMEOUT_MS);
    return { brokers: external, startedByHarness: false };
  }
  const env = testBrokerEnv();
  const brokers = env.KAFKA_BOOTSTRAP as string;
  const out = await runKafkaSh(['start'], env, START_TIMEOUT_MS);
  // kafka.sh prints "started ..." when it launched the broker, "already-running ..." otherwise.
  if (out.split('\n').some((line) => line.startsWith('started '))) process.env[STARTED_MARKER] = env.KAFKA_DATA_DIR;
  await runKafkaSh(['create-topics', ...ALL_TOPIC_SPECS], env, OTHER_TIMEOUT_MS);
  return { brokers, startedByHarness: process.env[STARTED_MARKER] === env.KAFKA_DATA_DIR };
}

export async function stopKafka(): Promise<void> {
  const dataDir = process.env[STARTED_MARKER];
  if (!dataDir) return;
  await runKafkaSh(['stop'], { ...testBrokerEnv(), KAFKA_DATA_DIR: dataDir }, OTHER_TIMEOUT_MS);
  delete process.env[STARTED_MARKER];
}

/**
 * Stops the broker of the current test settings whoever started it (this process, a child, an
 * interrupted earlier run) and deletes its data dir: for a broker whose events must not outlive
 * its run (the bench's). Never touches a cluster named by KAFKA_BROKERS.
 */
export async function destroyKafka(): Promise<void> {
  const env = testBrokerEnv();
  const dataDir = env.KAFKA_DATA_DIR as string;
  if (fs.existsSync(dataDir)) await runKafkaSh(['stop'], env, OTHER_TIMEOUT_MS);
  fs.rmSync(dataDir, { recursive: true, force: true });
  delete process.env[STARTED_MARKER];
}
