/** Nest injection tokens; data-access repositories inject the client by these. */
export const PRISMA_CLIENT = Symbol.for('npi.PrismaClient');
/** The background pool's client (DATABASE_BACKGROUND_POOL_SIZE): consumers' reads and writes, apart from request traffic. */
export const BACKGROUND_PRISMA_CLIENT = Symbol.for('npi.BackgroundPrismaClient');
export const OUTBOX_RELAY = Symbol.for('npi.OutboxRelay');
