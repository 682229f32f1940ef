/**
 * Injection tokens of hcx-gateway's own ports, in one place. The repositories' tokens
 * (PARTICIPANT_REPOSITORY, API_CALL_REPOSITORY, ...) are in @npi/hcx/data-access with their Prisma
 * adapters; the platform's (SERVICE_CONFIG, CLOCK, LOGGER, OUTBOX_RELAY, ...) in libs/service-runtime.
 */
export const KEY_ENCRYPTION = Symbol.for('hcx.KeyEncryption');
export const SECRET_NOTIFIER = Symbol.for('hcx.SecretNotifier');
/** The SecretDeliveryWorker, or null when no notifier is configured (delivery rows then wait). */
export const SECRET_DELIVERY_WORKER = Symbol.for('hcx.SecretDeliveryWorker');
export const API_KEY_VERIFIER = Symbol.for('hcx.ApiKeyVerifier');
export const PARTICIPANT_CACHE = Symbol.for('hcx.ParticipantCache');
export const HCX_SIGNING_KEYS = Symbol.for('hcx.SigningKeys');
export const NOTIFICATION_SIGNER = Symbol.for('hcx.NotificationSigner');
export const NOTIFICATION_PARTICIPANTS = Symbol.for('hcx.NotificationParticipants');

/** The producer name of the gateway's events (envelope `producer`). */
export const PRODUCER = 'hcx-gateway';
