import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import type { ApiCallRepository, ParticipantRepository } from '@npi/hcx/data-access';
import { HcxRequestRoutedV1 } from '@npi/kafka-contracts';
import type { EventData } from '@npi/kafka-contracts';
import { subscribeToEvent } from '@npi/messaging';
import type { MessageBroker, Subscription } from '@npi/messaging';
import type { Clock } from '@npi/service-runtime';
import { protocolApiOf } from '../protocol/apis';
import type { HcxSigningKeys } from './hcx-signing-keys';

type RoutedRequest = EventData<typeof HcxRequestRoutedV1>;

export interface DispatcherOptions {
  instanceId: string;
  groupId: string;
  fromBeginning?: boolean;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
}

export type Sleep = (ms: number) => Promise<void>;

/**
 * Delivers accepted protocol requests (hcx.request.routed.v1, its own consumer group) to the
 * recipient's endpoint_url with an RS256 token of the HCX instance. Each try has a timeout; failed
 * tries are retried with exponential backoff (backoff, 2×, 4×, ...); after the last retry the request
 * gets a dead-letter record and the sender an on_* callback with ERR_RECIPIENT_NOT_AVAILABLE.
 *
 * At least once: the Kafka offset is committed only after the handler finishes, so a crash mid-way
 * redelivers. Recorded once: `delivered` and the dead letter are conditional writes, and a request
 * already in either state is skipped.
 */
export class Dispatcher {
  private subscription?: Subscription;

  constructor(
    private readonly broker: MessageBroker,
    private readonly apiCalls: ApiCallRepository,
    private readonly participants: ParticipantRepository,
    private readonly signer: HcxSigningKeys,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: DispatcherOptions,
    private readonly sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  ) {}

  async start(): Promise<void> {
    this.subscription = await subscribeToEvent(this.broker, {
      groupId: this.options.groupId,
      contract: HcxRequestRoutedV1,
      fromBeginning: this.options.fromBeginning ?? true,
      handler: (event) => this.handle(event.data),
    });
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }

  async handle(request: RoutedRequest): Promise<void> {
    const call = await this.apiCalls.find(request.requestId);
    // Not ours (another database) or already settled: nothing to do, redelivery changes nothing.
    if (!call || call.deliveryStatus !== 'accepted') return;
    const recipient = await this.participants.find(request.recipientCode);
    let attempts = 0;
    let lastError = 'recipient is not an active participant';
    if (recipient && recipient.status === 'Active') {
      for (;;) {
        attempts += 1;
        const outcome = await this.post(`${recipient.endpointUrl}${request.apiPath}`, { payload: request.payload });
        if (outcome.ok) {
          await this.apiCalls.markDelivered(request.requestId, this.clock.now(), attempts);
          return;
        }
        lastError = outcome.error;
        await this.apiCalls.recordAttempt(request.requestId, attempts, lastError);
        if (attempts > this.options.retries) break;
        await this.sleep(this.options.backoffMs * 2 ** (attempts - 1));
      }
    }
    const callbackStatus = await this.errorCallback(request, lastError);
    const recorded = await this.apiCalls.deadLetter(request.requestId, lastError, attempts, callbackStatus);
    if (recorded) this.logger.warn({ requestId: request.requestId, apiPath: request.apiPath, recipient: request.recipientCode, attempts, callbackStatus }, 'protocol request dead-lettered');
  }

  /** HCX error callback: plain x-hcx-* headers with response.error, from the HCX instance to the sender. */
  private async errorCallback(request: RoutedRequest, reason: string): Promise<string> {
    const api = protocolApiOf(request.apiPath);
    if (!api?.errorCallbackPath) return 'not_applicable';
    const sender = await this.participants.find(request.senderCode);
    if (!sender) return 'sender_unknown';
    const body = {
      'x-hcx-sender_code': this.options.instanceId,
      'x-hcx-recipient_code': request.senderCode,
      'x-hcx-api_call_id': randomUUID(),
      'x-hcx-correlation_id': request.correlationId,
      ...(request.workflowId ? { 'x-hcx-workflow_id': request.workflowId } : {}),
      'x-hcx-timestamp': this.clock.now().getTime(),
      'x-hcx-status': 'response.error',
      'x-hcx-error_details': {
        code: 'ERR_RECIPIENT_NOT_AVAILABLE',
        message: `recipient ${request.recipientCode} did not accept api_call_id ${request.apiCallId} after ${this.options.retries + 1} attempts`,
        trace: reason.slice(0, 256),
      },
    };
    for (let attempt = 1; ; attempt += 1) {
      const outcome = await this.post(`${sender.endpointUrl}${api.errorCallbackPath}`, body);
      if (outcome.ok) return 'delivered';
      if (attempt > this.options.retries) return 'failed';
      await this.sleep(this.options.backoffMs * 2 ** (attempt - 1));
    }
  }

  private async post(url: string, body: unknown): Promise<{ ok: true } | { ok: false; error: string }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${await this.signer.sign()}` },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await response.arrayBuffer().catch(() => undefined);
      return response.ok ? { ok: true } : { ok: false, error: `HTTP ${response.status}` };
    } catch (error) {
      const name = (error as Error).name;
      return { ok: false, error: name === 'TimeoutError' ? 'timeout' : `network error: ${(error as { cause?: { code?: string } }).cause?.code ?? name}` };
    }
  }
}
