import { randomUUID } from 'node:crypto';
import { z } from 'zod';

/** A versioned event: its topic and the schema of its `data`. One file per event (amplication-style). */
export interface EventContract<Data> {
  readonly topic: string;
  readonly version: number;
  readonly schema: z.ZodType<Data, z.ZodTypeDef, unknown>;
}

export function defineEvent<Schema extends z.ZodTypeAny>(topic: string, schema: Schema): EventContract<z.infer<Schema>> {
  const match = /\.v([1-9][0-9]*)$/.exec(topic);
  if (!match) throw new Error(`topic ${topic} must end with .v<N>`);
  return { topic, version: Number(match[1]), schema };
}

export type EventData<C> = C extends EventContract<infer Data> ? Data : never;

/** What travels as the Kafka message value: an envelope around the validated data. */
export interface EventEnvelope<Data> {
  eventId: string;
  topic: string;
  version: number;
  occurredAt: string;
  producer: string;
  correlationId?: string;
  data: Data;
}

/** The envelope of every event; `data` is checked against the topic's own schema. */
export const eventEnvelopeSchema = z.object({
  eventId: z.string().min(1).max(128),
  topic: z.string().min(1),
  version: z.number().int().positive(),
  occurredAt: z.string().datetime({ offset: true }),
  producer: z.string().min(1).max(64),
  correlationId: z.string().max(128).optional(),
  data: z.unknown(),
});

export interface EncodedEvent {
  key?: string;
  value: string;
  headers: Record<string, string>;
}

/** Raised on either end when a message does not match its contract. Consumers dead-letter it. */
export class ContractViolationError extends Error {
  readonly code = 'ERR_CONTRACT_VIOLATION' as const;
  constructor(
    readonly topic: string,
    readonly issues: readonly string[],
  ) {
    super(`message on ${topic} violates its contract: ${issues.join('; ')}`);
    this.name = 'ContractViolationError';
  }
}

export interface EncodeOptions {
  producer: string;
  key?: string;
  eventId?: string;
  correlationId?: string;
  occurredAt?: Date;
}

/** Validates `data` against the contract before anything is sent (producers never publish junk). */
export function encodeEvent<Data>(contract: EventContract<Data>, data: Data, options: EncodeOptions): EncodedEvent {
  const parsed = contract.schema.safeParse(data);
  if (!parsed.success) throw new ContractViolationError(contract.topic, describe(parsed.error));
  const envelope: EventEnvelope<Data> = {
    eventId: options.eventId ?? randomUUID(),
    topic: contract.topic,
    version: contract.version,
    occurredAt: (options.occurredAt ?? new Date()).toISOString(),
    producer: options.producer,
    ...(options.correlationId ? { correlationId: options.correlationId } : {}),
    data: parsed.data,
  };
  return {
    key: options.key,
    value: JSON.stringify(envelope),
    headers: {
      'event-id': envelope.eventId,
      'event-type': contract.topic,
      'content-type': 'application/json',
      ...(options.correlationId ? { 'correlation-id': options.correlationId } : {}),
    },
  };
}

/** Parses and validates a received message value; throws ContractViolationError for poison messages. */
export function decodeEvent<Data>(contract: EventContract<Data>, value: string | Buffer | null | undefined): EventEnvelope<Data> {
  if (value === null || value === undefined) throw new ContractViolationError(contract.topic, ['empty message']);
  let json: unknown;
  try {
    json = JSON.parse(typeof value === 'string' ? value : value.toString('utf8'));
  } catch {
    throw new ContractViolationError(contract.topic, ['value is not JSON']);
  }
  const envelope = eventEnvelopeSchema.safeParse(json);
  if (!envelope.success) throw new ContractViolationError(contract.topic, describe(envelope.error));
  if (envelope.data.topic !== contract.topic) {
    throw new ContractViolationError(contract.topic, [`envelope names topic ${envelope.data.topic}`]);
  }
  const data = contract.schema.safeParse(envelope.data.data);
  if (!data.success) throw new ContractViolationError(contract.topic, describe(data.error));
  return { ...envelope.data, data: data.data };
}

function describe(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
