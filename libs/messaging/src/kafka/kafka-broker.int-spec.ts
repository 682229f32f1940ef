import { describeBrokerSemantics } from '../testing/broker-semantics';
import { KafkaBroker } from './kafka-broker';

// The real broker started by the jest global setup (tools/kafka), never a mock.
describeBrokerSemantics(
  'KafkaBroker',
  () => new KafkaBroker({ brokers: (process.env.KAFKA_BROKERS ?? '').split(','), clientId: 'messaging-int-test', defaultRetryBackoffMs: 20 }),
  60_000,
);
