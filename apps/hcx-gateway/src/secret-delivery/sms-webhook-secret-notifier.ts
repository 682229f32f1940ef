import { secretMessage } from './secret-notifier';
import type { SecretNotice, SecretNotifier } from './secret-notifier';

export interface SmsWebhookOptions {
  url: string;
  /** Bearer token the SMS gateway expects. */
  token: string;
  timeoutMs?: number;
}

/**
 * SMS channel behind an HTTP webhook (the operator's SMS gateway): POST `{to, message}` with a bearer
 * token; any 2xx is accepted. A participant without primaryMobile cannot get an SMS: that is an
 * error the worker retries (until an operator adds the number), never a silent skip.
 */
export class SmsWebhookSecretNotifier implements SecretNotifier {
  readonly channel = 'sms';
  constructor(private readonly options: SmsWebhookOptions) {}

  async deliver(notice: SecretNotice): Promise<void> {
    if (!notice.primaryMobile) throw new Error('participant has no primaryMobile');
    const response = await fetch(this.options.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.token}` },
      body: JSON.stringify({ to: notice.primaryMobile, message: secretMessage(notice, notice.secret.reveal()) }),
      redirect: 'error',
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    await response.arrayBuffer().catch(() => undefined);
    if (!response.ok) throw new Error(`SMS webhook answered HTTP ${response.status}`);
  }
}
