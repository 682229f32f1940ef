/** Nest injection tokens; data-access repositories inject the client by these. */
export const PRISMA_CLIENT = Symbol.for('npi.PrismaClient');
export const OUTBOX_RELAY = Symbol.for('npi.OutboxRelay');
