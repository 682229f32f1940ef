/**
 * Steady HCX traffic for the fault tier: `concurrency` senders post coverage eligibility checks
 * (JWE for the recipient) until stopped, and every answer is recorded: accepted api_call_ids,
 * statuses, error codes, and requests that got no answer at all (connection refused or reset).
 */
import { randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { CompactEncrypt } from 'jose';

export interface HcxTarget {
  url: () => string;
  apiKey: () => string;
  sender: string;
  recipient: string;
  recipientKey: KeyObject;
}

export interface Answer {
  apiCallId: string;
  startedAt: number;
  endedAt: number;
  status: number; // 0: no answer
  code?: string;
  body?: unknown;
}

export class HcxLoad {
  readonly answers: Answer[] = [];
  private running = false;
  private workers: Promise<void>[] = [];

  constructor(
    private readonly target: HcxTarget,
    private readonly concurrency = 4,
    private readonly pauseMs = 20,
  ) {}

  start(): void {
    this.running = true;
    this.workers = Array.from({ length: this.concurrency }, () => this.worker());
  }

  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  accepted(): Answer[] {
    return this.answers.filter((answer) => answer.status === 202);
  }

  between(from: number, to: number): Answer[] {
    return this.answers.filter((answer) => answer.startedAt >= from && answer.startedAt < to);
  }

  async sendOne(): Promise<Answer> {
    const apiCallId = randomUUID();
    const headers = {
      'x-hcx-sender_code': this.target.sender,
      'x-hcx-recipient_code': this.target.recipient,
      'x-hcx-api_call_id': apiCallId,
      'x-hcx-correlation_id': randomUUID(),
      'x-hcx-workflow_id': randomUUID(),
      'x-hcx-timestamp': Date.now(),
    };
    const payload = await new CompactEncrypt(new TextEncoder().encode(JSON.stringify({ resourceType: 'CoverageEligibilityRequest', id: apiCallId })))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', ...headers })
      .encrypt(this.target.recipientKey);
    const startedAt = Date.now();
    let answer: Answer;
    try {
      const response = await fetch(`${this.target.url()}/v0.8/coverageeligibility/check`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.target.apiKey()}` },
        body: JSON.stringify({ payload }),
        signal: AbortSignal.timeout(15_000),
      });
      const text = await response.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON: kept as text
      }
      const code = (body as { error?: { code?: string } } | undefined)?.error?.code;
      answer = { apiCallId, startedAt, endedAt: Date.now(), status: response.status, code, body };
    } catch {
      answer = { apiCallId, startedAt, endedAt: Date.now(), status: 0 };
    }
    this.answers.push(answer);
    return answer;
  }

  private async worker(): Promise<void> {
    while (this.running) {
      const answer = await this.sendOne();
      if (answer.status === 0 || answer.status >= 500) await new Promise((resolve) => setTimeout(resolve, 100));
      else if (this.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, this.pauseMs));
    }
  }
}

/** The x-hcx-api_call_id in a JWE's protected header (what a recipient sees). */
export function apiCallIdOf(payload: string): string | undefined {
  try {
    const header = JSON.parse(Buffer.from(payload.split('.')[0], 'base64url').toString('utf8')) as Record<string, unknown>;
    return typeof header['x-hcx-api_call_id'] === 'string' ? header['x-hcx-api_call_id'] : undefined;
  } catch {
    return undefined;
  }
}
