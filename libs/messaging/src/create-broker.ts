import type { MessageBroker } from './broker.port';
import { InProcessBroker } from './in-process/in-process-broker';
import { KafkaBroker } from './kafka/kafka-broker';
import type { KafkaBrokerOptions } from './kafka/kafka-broker';

export type BrokerSettings =
  | { kind: 'inprocess'; instance?: InProcessBroker }
  | ({ kind: 'kafka' } & KafkaBrokerOptions);

/** The composition root picks the adapter; services only see the MessageBroker port. */
export function createBroker(settings: BrokerSettings): MessageBroker {
  if (settings.kind === 'inprocess') return settings.instance ?? new InProcessBroker();
  return new KafkaBroker(settings);
}
