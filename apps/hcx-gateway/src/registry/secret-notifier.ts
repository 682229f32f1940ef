import fs from 'node:fs';
import path from 'node:path';

/**
 * Seed 002: the client_id and client_secret are shared "via email, SMS, or both". This port is where
 * an email or SMS adapter plugs in; the registry calls it once per new secret. Adapters must never
 * log the secret.
 */
export interface SecretNotifier {
  deliver(notice: { participantCode: string; primaryEmail: string; primaryMobile: string | null; clientSecret: string; reason: 'created' | 'rotated' }): Promise<void>;
}

/** Default: nothing besides the one-time API answer. */
export class NoSecretNotifier implements SecretNotifier {
  async deliver(): Promise<void> {
    return;
  }
}

/** Standalone/demo: drops `<dir>/<participant_code>.client_secret` (mode 0600), as a mailbox would receive it. */
export class FileDropSecretNotifier implements SecretNotifier {
  constructor(private readonly directory: string) {}

  async deliver(notice: Parameters<SecretNotifier['deliver']>[0]): Promise<void> {
    await fs.promises.mkdir(this.directory, { recursive: true, mode: 0o700 });
    const safeName = notice.participantCode.replace(/[^A-Za-z0-9._@-]/g, '_');
    const file = path.join(this.directory, `${safeName}.client_secret`);
    await fs.promises.writeFile(file, `client_id=${notice.participantCode}\nclient_secret=${notice.clientSecret}\n`, { mode: 0o600 });
  }
}
