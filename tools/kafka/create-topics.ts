/**
 * Creates every platform topic (ALL_TOPICS, dead-letter topics included) on the local broker.
 * Usage: npx tsx tools/kafka/create-topics.ts
 * Target: KAFKA_BOOTSTRAP (host:port[,host:port]) or 127.0.0.1:$KAFKA_PORT (default 9092).
 * Partitions: KAFKA_PARTITIONS (default 3); replicas: KAFKA_REPLICATION_FACTOR (1) and
 * KAFKA_MIN_INSYNC_REPLICAS; auth.client.updated.v1 and hcx.participant.updated.v1 compacted.
 * Existing topics are left as they are.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ALL_TOPIC_SPECS } from './topic-specs';

const script = path.join(__dirname, 'kafka.sh');
const result = spawnSync('bash', [script, 'create-topics', ...ALL_TOPIC_SPECS], { stdio: 'inherit', env: process.env });
if (result.error) {
  console.error(`create-topics: could not run ${script}: ${result.error.message}`);
  process.exit(1);
}
process.exit(result.status ?? 1);
