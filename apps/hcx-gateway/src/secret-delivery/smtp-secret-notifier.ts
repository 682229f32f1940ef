import nodemailer from 'nodemailer';
import type { Transporter } from 'nodemailer';
import { secretMessage } from './secret-notifier';
import type { SecretNotice, SecretNotifier } from './secret-notifier';

export interface SmtpOptions {
  /** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://host:465`. */
  url: string;
  from: string;
  /** Refuse to send without TLS (production). */
  requireTls: boolean;
  timeoutMs?: number;
}

/** Email channel (nodemailer): one plain-text message to the participant's primaryEmail. */
export class SmtpSecretNotifier implements SecretNotifier {
  readonly channel = 'email';
  private readonly transport: Transporter;

  constructor(private readonly options: SmtpOptions) {
    const timeout = options.timeoutMs ?? 10_000;
    this.transport = nodemailer.createTransport({
      url: options.url,
      requireTLS: options.requireTls,
      connectionTimeout: timeout,
      greetingTimeout: timeout,
      socketTimeout: timeout,
      // nodemailer's own logger would print the message; it stays off.
      logger: false,
      debug: false,
    } as Parameters<typeof nodemailer.createTransport>[0]);
  }

  async deliver(notice: SecretNotice): Promise<void> {
    await this.transport.sendMail({
      from: this.options.from,
      to: notice.primaryEmail,
      subject: `HCX client credentials for ${notice.participantCode}`,
      text: secretMessage(notice, notice.secret.reveal()),
    });
  }

  close(): void {
    this.transport.close();
  }
}
