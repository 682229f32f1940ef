/**
 * The AsyncAPI 3 document of every Kafka topic, built from libs/kafka-contracts: each contract's zod
 * schema (inside the event envelope) becomes the message payload through zod-to-json-schema, and
 * every topic of ALL_TOPICS (contract topics and their dead-letter topics) becomes a channel.
 */
import { z } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { ALL_CONTRACTS, ALL_TOPICS, CONTRACT_TOPICS, contractOf, deadLetterTopicOf, eventEnvelopeSchema } from '@npi/kafka-contracts';
import type { EventContract } from '@npi/kafka-contracts';

type Json = Record<string, unknown>;

/** `auth.token.revoked.v1` → `AuthTokenRevokedV1` (channel, message and operation ids). */
export function idOf(topic: string): string {
  return topic
    .split(/[._-]/)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

/** zod-to-json-schema's generic signature is too deep for tsc on these schemas; the options are what matter. */
const toJsonSchema = zodToJsonSchema as unknown as (schema: unknown, options: { target: 'jsonSchema7'; $refStrategy: 'none' }) => Json;

function jsonSchemaOf(schema: z.ZodTypeAny): Json {
  const converted = toJsonSchema(schema, { target: 'jsonSchema7', $refStrategy: 'none' });
  delete converted.$schema;
  return converted;
}

const EVENT_HEADERS = z
  .object({
    'event-id': z.string().describe('the envelope eventId; consumers deduplicate on it'),
    'event-type': z.string().describe('the topic name, version included'),
    'content-type': z.literal('application/json'),
    'correlation-id': z.string().optional().describe('x-correlation-id of the request that caused the event'),
    traceparent: z.string().optional().describe('W3C trace context, when tracing is on'),
  })
  .passthrough();

const DEAD_LETTER_HEADERS = EVENT_HEADERS.extend({
  'dlq-reason': z.string().max(512).describe('error code and message of the last failed attempt'),
  'dlq-original-topic': z.string(),
  'dlq-original-partition': z.string(),
  'dlq-original-offset': z.string(),
});

function eventMessage(contract: EventContract<unknown>): Json {
  const payload = eventEnvelopeSchema.extend({ topic: z.literal(contract.topic), version: z.literal(contract.version), data: contract.schema });
  return {
    name: idOf(contract.topic),
    title: `${contract.topic} (version ${contract.version})`,
    ...(contract.schema.description ? { summary: contract.schema.description } : {}),
    contentType: 'application/json',
    headers: { $ref: '#/components/schemas/EventHeaders' },
    payload: jsonSchemaOf(payload),
    bindings: { kafka: { key: { type: 'string', description: 'partition key: the aggregate the event is about' }, bindingVersion: '0.5.0' } },
  };
}

export interface AsyncApiOptions {
  version: string;
  kafkaHost: string;
}

export function buildAsyncApiDocument(options: AsyncApiOptions): Json {
  const channels: Json = {};
  const operations: Json = {};
  const messages: Json = {
    DeadLetter: {
      name: 'DeadLetter',
      title: 'A message no consumer could handle',
      summary: 'The original key, value and headers, unchanged (the value may violate its contract), plus dlq-* headers',
      contentType: 'application/json',
      headers: { $ref: '#/components/schemas/DeadLetterHeaders' },
      payload: { description: 'the original message value, as received' },
    },
  };
  for (const topic of CONTRACT_TOPICS) {
    if (!contractOf(topic)) throw new Error(`topic ${topic} has no contract in ALL_CONTRACTS`);
  }
  for (const contract of ALL_CONTRACTS) messages[idOf(contract.topic)] = eventMessage(contract);

  for (const topic of ALL_TOPICS) {
    const id = idOf(topic);
    const contract = contractOf(topic);
    const messageId = contract ? idOf(topic) : 'DeadLetter';
    channels[id] = {
      address: topic,
      title: topic,
      description: contract
        ? `Events of ${topic}, version ${contract.version}. A breaking change is a new .v${contract.version + 1} topic.`
        : `Dead letters of ${topic.replace(/\.dlq$/, '')}: messages that failed every retry or violated the contract.`,
      messages: { [messageId]: { $ref: `#/components/messages/${messageId}` } },
      bindings: { kafka: { topic, bindingVersion: '0.5.0' } },
    };
    const channel = { $ref: `#/channels/${id}` };
    const message = [{ $ref: `#/channels/${id}/messages/${messageId}` }];
    operations[`send${id}`] = {
      action: 'send',
      channel,
      summary: contract ? `A service publishes ${topic} (from its transactional outbox)` : `A consumer dead-letters a message of ${topic.replace(/\.dlq$/, '')}`,
      messages: message,
    };
    operations[`receive${id}`] = {
      action: 'receive',
      channel,
      summary: contract ? `Consumers validate ${topic} against its contract; a violation goes to ${deadLetterTopicOf(topic)}` : 'Operators inspect and replay dead letters',
      messages: message,
    };
  }
  return {
    asyncapi: '3.0.0',
    info: {
      title: 'NPI security platform events',
      version: options.version,
      description:
        'Every Kafka topic of the platform and the versioned schema of every event (libs/kafka-contracts). Each message value is an envelope {eventId, topic, version, occurredAt, producer, correlationId?, data}; data follows the topic contract. Generated by `npm run asyncapi`; do not edit.',
    },
    defaultContentType: 'application/json',
    servers: {
      kafka: { host: options.kafkaHost, protocol: 'kafka', description: 'development broker (`npm run kafka:start`); production brokers come from KAFKA_BROKERS' },
    },
    channels,
    operations,
    components: {
      messages,
      schemas: { EventHeaders: jsonSchemaOf(EVENT_HEADERS), DeadLetterHeaders: jsonSchemaOf(DEAD_LETTER_HEADERS) },
    },
  };
}
