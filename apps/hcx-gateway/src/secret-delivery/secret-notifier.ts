import fs from 'node:fs';
import path from 'node:path';
import type { SecretDeliveryReason } from '@npi/hcx/data-access';

/** The client_secret, still encrypted: only a notifier opens it, at the moment it writes the message. */
export interface SealedClientSecret {
  reveal(): string;
}

export interface SecretNotice {
  participantCode: string;
  participantName: string;
  primaryEmail: string;
  primaryMobile: string | null;
  reason: SecretDeliveryReason;
  secretVersion: number;
  secret: SealedClientSecret;
}

/**
 * Seed 002: the client_id and client_secret are shared "via email, SMS, or both". Adapters throw when
 * the message was not accepted (the delivery worker retries), and never log the secret or the message.
 */
export interface SecretNotifier {
  readonly channel: string;
  deliver(notice: SecretNotice): Promise<void>;
}

/** The words every channel uses; the secret appears once, on a line of its own. */
export function secretMessage(notice: SecretNotice, secret: string): string {
  const why = notice.reason === 'created' ? 'You were registered on the HCX gateway.' : notice.reason === 'rotated' ? 'Your client secret was rotated; earlier API keys stop working.' : 'Your current client secret, sent again on request.';
  // Short lines: mail stays 7bit, so the secret is never split by quoted-printable soft breaks.
  return [why, '', 'client_id:', notice.participantCode, 'client_secret:', secret, '', 'Exchange them for an API key at POST /token/generate.', 'Keep the secret private.'].join('\n');
}

/** Standalone/demo: drops `<dir>/<participant_code>.client_secret` (mode 0600), as a mailbox would receive it. */
export class FileDropSecretNotifier implements SecretNotifier {
  readonly channel = 'file';
  constructor(private readonly directory: string) {}

  async deliver(notice: SecretNotice): Promise<void> {
    await fs.promises.mkdir(this.directory, { recursive: true, mode: 0o700 });
    const safeName = notice.participantCode.replace(/[^A-Za-z0-9._@-]/g, '_');
    const file = path.join(this.directory, `${safeName}.client_secret`);
    const temporary = `${file}.${process.pid}.tmp`;
    await fs.promises.writeFile(temporary, `client_id=${notice.participantCode}\nclient_secret=${notice.secret.reveal()}\nsecret_version=${notice.secretVersion}\n`, { mode: 0o600 });
    // Rename: a reader never sees a half-written file.
    await fs.promises.rename(temporary, file);
  }
}

/** Every channel must accept the message (email and SMS both configured). */
export class AllChannelsSecretNotifier implements SecretNotifier {
  readonly channel: string;
  constructor(private readonly notifiers: readonly SecretNotifier[]) {
    this.channel = notifiers.map((notifier) => notifier.channel).join('+');
  }

  async deliver(notice: SecretNotice): Promise<void> {
    for (const notifier of this.notifiers) await notifier.deliver(notice);
  }
}
