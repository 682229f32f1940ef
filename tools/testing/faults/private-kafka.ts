/**
 * A Kafka broker of the fault tier's own (tools/kafka/kafka.sh with its own port and data dir)
 * that a test may stop and restart: other brokers (developers', other test runs') are never touched.
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ALL_TOPIC_SPECS } from '../../kafka/topic-specs';
import { freePort } from './ports';

const run = promisify(execFile);
const KAFKA_SH = path.resolve(__dirname, '..', '..', 'kafka', 'kafka.sh');

export class PrivateKafka {
  private constructor(
    readonly dataDir: string,
    readonly port: number,
    readonly controllerPort: number,
  ) {}

  static async create(): Promise<PrivateKafka> {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'npi-faults-kafka-'));
    const kafka = new PrivateKafka(dataDir, await freePort(), await freePort());
    await kafka.start();
    await kafka.sh(['create-topics', ...ALL_TOPIC_SPECS]);
    return kafka;
  }

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  start(): Promise<void> {
    return this.sh(['start']);
  }

  stop(): Promise<void> {
    return this.sh(['stop']);
  }

  async destroy(): Promise<void> {
    await this.stop().catch(() => undefined);
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async sh(args: string[]): Promise<void> {
    await run('bash', [KAFKA_SH, ...args], {
      timeout: 240_000,
      maxBuffer: 16 * 1024 * 1024,
      env: {
        ...process.env,
        KAFKA_PORT: String(this.port),
        KAFKA_CONTROLLER_PORT: String(this.controllerPort),
        KAFKA_DATA_DIR: this.dataDir,
        KAFKA_BOOTSTRAP: this.brokers,
        KAFKA_JVM_OPTS: process.env.KAFKA_JVM_OPTS ?? '-XX:TieredStopAtLevel=1',
        KAFKA_HEAP_OPTS: '-Xms128m -Xmx512m',
      },
    });
  }
}

