/**
 * Creates every platform topic (ALL_TOPICS, dead-letter topics included) on the local broker.
 * Usage: npx tsx tools/kafka/create-topics.ts
 * Target: KAFKA_BOOTSTRAP (host:port[,host:port]) or 127.0.0.1:$KAFKA_PORT (default 9092).
 * Partitions: KAFKA_PARTITIONS (default 3). Existing topics are left as they are.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ALL_TOPICS } from '../../libs/kafka-contracts/src/topics';

const script = path.join(__dirname, 'kafka.sh');
const result = spawnSync('bash', [script, 'create-topics', ...ALL_TOPICS], { stdio: 'inherit', env: process.env });
if (result.error) {
  console.error(`create-topics: could not run ${script}: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
