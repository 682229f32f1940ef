export { Prisma, PrismaClient, createPrismaClient, pingDatabase } from './prisma-client';
export type { PrismaClientOptions } from './prisma-client';
export { OutboxRelay } from './outbox/outbox-relay';
export type { OutboxRelayOptions, ServiceSchema } from './outbox/outbox-relay';
export { outboxRow } from './outbox/outbox-row';
export type { OutboxRow } from './outbox/outbox-row';
export { PrismaProcessedEventLog } from './processed-event-log';
export { startEmbeddedPostgres } from './embedded-postgres';
export type { EmbeddedPostgres } from './embedded-postgres';
