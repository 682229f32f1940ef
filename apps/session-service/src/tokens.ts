/**
 * Injection tokens of session-service's own ports, in one place. The repositories' tokens
 * (HOST_PARTICIPANT_REPOSITORY, BILLER_REPOSITORY, BILLERS_SESSION_REPOSITORY, CHARGE_SLAB_REPOSITORY)
 * are in @npi/session/data-access with their Prisma adapters; the platform's (SERVICE_CONFIG, CLOCK,
 * LOGGER, ...) in libs/service-runtime.
 */
/** NPI Billers' own keys (`BillersKeys`), imported once from the configuration. */
export const BILLERS_KEYS = Symbol.for('npi.session.BillersKeys');
/** `LaunchTokenOpener`: opens a host app's launch token (decrypt, verify). */
export const LAUNCH_TOKEN_OPENER = Symbol.for('npi.session.LaunchTokenOpener');
/** `NpiObjectSealer`: signs and encrypts the npiObject for the participant. */
export const NPI_OBJECT_SEALER = Symbol.for('npi.session.NpiObjectSealer');
/** `PageTokens`: the page token carried in the session's cookie. */
export const PAGE_TOKENS = Symbol.for('npi.session.PageTokens');

/** The producer name of session-service's events (envelope `producer`). */
export const PRODUCER = 'session-service';
