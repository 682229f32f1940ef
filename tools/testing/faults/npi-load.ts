/**
 * Steady NPI traffic for the fault tier: `concurrency` members' systems post signed real-time
 * batches (postcipsbatch) to payment-service, and one renews the access token at auth-service with
 * the refresh grant, until stopped. Every answer is recorded (status, NCHL responseCode or OAuth
 * error), so a test can tell what was answered with success and what was refused during an outage.
 */
import { randomBytes } from 'node:crypto';

export interface NpiAnswer {
  kind: 'payment' | 'token';
  batchId?: string;
  startedAt: number;
  endedAt: number;
  status: number; // 0: no answer
  /** NCHL responseCode of the batch (payments) or the OAuth `error` (tokens). */
  code?: string;
  body?: unknown;
}

export interface NpiTarget {
  paymentUrl: string;
  authUrl: string;
  client: { clientId: string; clientSecret: string };
  refreshToken: string;
  accessToken: string;
  /** A signed real-time body with this batchId. */
  body(batchId: string): unknown;
}

export class NpiLoad {
  readonly answers: NpiAnswer[] = [];
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly target: NpiTarget,
    private readonly concurrency = 3,
    private readonly pauseMs = 20,
    private readonly tokenPauseMs = 250,
  ) {}

  start(): void {
    this.running = true;
    this.workers = [...Array.from({ length: this.concurrency }, () => this.paymentWorker()), this.tokenWorker()];
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  /** Batches answered 200 with responseCode 000: the member was told they are accepted. */
  acceptedPayments(): NpiAnswer[] {
    return this.answers.filter((answer) => answer.kind === 'payment' && answer.status === 200 && answer.code === '000');
  }

  between(kind: NpiAnswer['kind'], from: number, to: number): NpiAnswer[] {
    return this.answers.filter((answer) => answer.kind === kind && answer.startedAt >= from && answer.startedAt < to);
  }

  async postBatch(): Promise<NpiAnswer> {
    const batchId = `F${randomBytes(6).toString('hex')}`;
    const startedAt = Date.now();
    try {
      const response = await fetch(`${this.target.paymentUrl}/api/postcipsbatch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${this.target.accessToken}`, 'content-type': 'application/json' },
        body: JSON.stringify(this.target.body(batchId)),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json().catch(() => undefined)) as { responseCode?: string; cipsBatchResponse?: { responseCode?: string } } | undefined;
      const answer: NpiAnswer = { kind: 'payment', batchId, startedAt, endedAt: Date.now(), status: response.status, code: body?.cipsBatchResponse?.responseCode ?? body?.responseCode, body };
      this.answers.push(answer);
      return answer;
    } catch {
      const answer: NpiAnswer = { kind: 'payment', batchId, startedAt, endedAt: Date.now(), status: 0 };
      this.answers.push(answer);
      return answer;
    }
  }

  async renewToken(): Promise<NpiAnswer> {
    const startedAt = Date.now();
    try {
      const response = await fetch(`${this.target.authUrl}/oauth/token`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-www-form-urlencoded',
          authorization: `Basic ${Buffer.from(`${this.target.client.clientId}:${this.target.client.clientSecret}`).toString('base64')}`,
        },
        body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: this.target.refreshToken }).toString(),
        signal: AbortSignal.timeout(15_000),
      });
      const body = (await response.json().catch(() => undefined)) as { access_token?: string; error?: string } | undefined;
      if (response.status === 200 && body?.access_token) this.target.accessToken = body.access_token;
      const answer: NpiAnswer = { kind: 'token', startedAt, endedAt: Date.now(), status: response.status, code: body?.error, body: response.status === 200 ? undefined : body };
      this.answers.push(answer);
      return answer;
    } catch {
      const answer: NpiAnswer = { kind: 'token', startedAt, endedAt: Date.now(), status: 0 };
      this.answers.push(answer);
      return answer;
    }
  }

  private async paymentWorker(): Promise<void> {
    while (this.running) {
      await this.postBatch();
      await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
    }
  }

  private async tokenWorker(): Promise<void> {
    while (this.running) {
      await this.renewToken();
      await new Promise((resolve) => setTimeout(resolve, this.tokenPauseMs));
    }
  }
}
