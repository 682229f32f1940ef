/** Injection tokens of hcx-gateway's own ports. */
export const KEY_ENCRYPTION = Symbol.for('hcx.KeyEncryption');
export const SECRET_NOTIFIER = Symbol.for('hcx.SecretNotifier');
export const API_KEY_VERIFIER = Symbol.for('hcx.ApiKeyVerifier');
export const PARTICIPANT_CACHE = Symbol.for('hcx.ParticipantCache');
export const HCX_SIGNING_KEYS = Symbol.for('hcx.SigningKeys');
export const INSTANCE_ID = Symbol.for('hcx.InstanceId');
export const NOTIFICATION_SIGNER = Symbol.for('hcx.NotificationSigner');
export const NOTIFICATION_PARTICIPANTS = Symbol.for('hcx.NotificationParticipants');
