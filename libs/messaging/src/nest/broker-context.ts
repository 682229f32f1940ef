import { BaseRpcContext } from '@nestjs/microservices';
import type { EventEnvelope } from '@npi/kafka-contracts';
import type { IncomingMessage } from '../broker.port';

type BrokerContextArgs = [message: IncomingMessage, envelope: EventEnvelope<unknown>, transaction: unknown];

/**
 * What an `@EventPattern` handler gets through `@Ctx()`: where the message came from, which
 * delivery attempt this is, and (for `idempotent` handlers) the database transaction that also
 * records the event as processed, so the handler's effect and that mark commit together.
 */
export class BrokerContext extends BaseRpcContext<BrokerContextArgs> {
  getTopic(): string {
    return this.args[0].topic;
  }
  getPartition(): number {
    return this.args[0].partition;
  }
  getOffset(): string {
    return this.args[0].offset;
  }
  getKey(): string | undefined {
    return this.args[0].key;
  }
  getHeaders(): Record<string, string> {
    return this.args[0].headers;
  }
  /** 1 on the first delivery to the handler, incremented on each retry. */
  getAttempt(): number {
    return this.args[0].attempt;
  }
  /** The event id of the envelope: stable across redeliveries, the idempotency key. */
  getMessageId(): string {
    return this.args[1].eventId;
  }
  getCorrelationId(): string | undefined {
    return this.args[1].correlationId;
  }
  getEnvelope(): EventEnvelope<unknown> {
    return this.args[1];
  }
  /** The transaction of an `idempotent` handler's processed-event mark; undefined otherwise. */
  getTransaction<Transaction = unknown>(): Transaction | undefined {
    return this.args[2] as Transaction | undefined;
  }
}
