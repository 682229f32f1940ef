import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { Agent, request as httpRequest } from 'undici';
import { isDatabaseUnavailable } from '@npi/database';
import type { ApiCallRepository, ParticipantRecord } from '@npi/hcx/data-access';
import type { OnApplicationShutdown, OnModuleDestroy } from '@nestjs/common';
import type { HcxRequestRoutedV1 } from '@npi/kafka-contracts';
import type { EventData } from '@npi/kafka-contracts';
import type { HandedOff } from '@npi/messaging';
import { SpanKind, inSpan, injectTraceContext } from '@npi/observability';
import type { Clock } from '@npi/service-runtime';
import { protocolApiOf } from '../protocol/apis';
import type { HcxSigningKeys } from './hcx-signing-keys';

export type RoutedRequest = EventData<typeof HcxRequestRoutedV1>;

export interface DispatcherOptions {
  instanceId: string;
  timeoutMs: number;
  retries: number;
  backoffMs: number;
  /** Deliveries to one recipient at once; beyond it, new ones queue for that recipient only. */
  maxInFlightPerRecipient?: number;
}

export type Sleep = (ms: number) => Promise<void>;

/** Where recipients are looked up: the registry cache, kept current by participant change events. */
export interface RecipientDirectory {
  get(participantCode: string): Promise<Pick<ParticipantRecord, 'status' | 'endpointUrl'> | null>;
}

/**
 * Stage timings the dispatcher reports: `status` (the routed event's receipt → its delivery status
 * read), `dispatch` (receipt → its first HTTP try starting: the status read, the correlation's
 * order, a recipient slot) and `deliver` (the HTTP call to the participant system).
 */
export type DispatchObserver = (stage: 'status' | 'dispatch' | 'deliver', seconds: number, outcome: 'ok' | 'failed') => void;

type Outcome = { ok: true } | { ok: false; error: string };

/**
 * Delivers accepted protocol requests (hcx.request.routed.v1, its own consumer group) to the
 * recipient's endpoint_url with an RS256 token of the HCX instance (one token per recipient reused
 * for a short while), over keep-alive connections. Each try has a timeout; failed tries are retried
 * with exponential backoff (backoff, 2×, 4×, ...); after the last retry the request gets a
 * dead-letter record and the sender an on_* callback with ERR_RECIPIENT_NOT_AVAILABLE.
 *
 * Many deliveries run at once: the consumer (RoutedRequestHandler, an `@EventPattern` handler of
 * its own group) hands each routed event here and goes on with the next one. Events of one correlation id (the message key) reach this handler in order and their
 * first try is made in that order; a retry is re-scheduled on a timer, never slept on in the
 * consumer, so a slow or failing recipient delays only its own deliveries. A recipient with
 * `maxInFlightPerRecipient` deliveries open gets the next ones queued behind them.
 *
 * At least once: a routed event's Kafka offset is committed only once its delivery settled
 * (delivered or dead-lettered), so a crash with retries pending redelivers them. Recorded once:
 * `delivered` and the dead letter are conditional writes, and a request already in either state is
 * skipped.
 */
export class Dispatcher implements OnModuleDestroy, OnApplicationShutdown {
  private readonly agent: Agent;
  private readonly pending = new Set<Promise<void>>();
  private readonly inFlight = new Map<string, number>();
  private readonly waiting = new Map<string, (() => void)[]>();
  /** Per correlation id: the first try of the latest request, which the next one's first try waits for. */
  private readonly firstTries = new Map<string, Promise<void>>();
  /** Per routed request (requestId): its delivery while it runs. */
  private readonly deliveries = new Map<string, Promise<void>>();
  private stopping = false;

  constructor(
    private readonly apiCalls: ApiCallRepository,
    private readonly recipients: RecipientDirectory,
    private readonly signer: Pick<HcxSigningKeys, 'tokenFor'>,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: DispatcherOptions,
    private readonly sleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
    private readonly observe: DispatchObserver = () => undefined,
  ) {
    this.agent = new Agent({ keepAliveTimeout: 30_000, connections: options.maxInFlightPerRecipient ?? 32, connect: { timeout: options.timeoutMs } });
  }

  /**
   * Before the consumer closes: scheduled retries are dropped, not finished; their offsets stay
   * uncommitted and are delivered again.
   */
  onModuleDestroy(): void {
    this.stopping = true;
  }

  /** After the consumer closed (Nest closes the broker transport in between). */
  async onApplicationShutdown(): Promise<void> {
    await this.agent.close().catch(() => undefined);
  }

  /** Handles one routed request completely (first try, retries, dead letter). */
  async handle(request: RoutedRequest): Promise<void> {
    const handedOff = await this.accept(request);
    await handedOff?.settled;
  }

  /** Resolves once every delivery started so far has settled (tests). */
  async drain(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  /**
   * The consumer's handler: hands the delivery off at once (the consumer goes on fetching without
   * waiting for the database), keeping one correlation's first tries in the order they arrive here.
   */
  async accept(request: RoutedRequest): Promise<HandedOff | undefined> {
    const received = performance.now();
    // The same request read again while its delivery runs (the outbox publishes again when the
    // database went away between the broker's ack and marking the row; a consumer restart reads
    // uncommitted offsets again): it joins that delivery instead of sending the request twice.
    const running = this.deliveries.get(request.requestId);
    if (running) return { settled: running };
    const correlation = request.correlationId;
    const previous = this.firstTries.get(correlation);
    let firstTryDone = () => undefined as void;
    const mine = new Promise<void>((resolve) => (firstTryDone = resolve));
    this.firstTries.set(correlation, mine);
    void mine.then(() => {
      if (this.firstTries.get(correlation) === mine) this.firstTries.delete(correlation);
    });
    const settled = this.track(this.deliverUnlessSettled(request, previous, firstTryDone, received));
    this.deliveries.set(request.requestId, settled);
    const forget = () => {
      if (this.deliveries.get(request.requestId) === settled) this.deliveries.delete(request.requestId);
    };
    void settled.then(forget, forget);
    return { settled };
  }

  /**
   * Not ours (another database) or already settled: nothing to do, a redelivery changes nothing.
   * The status read waits out a database outage (like the writes of `recorded`), so the message is
   * neither dead-lettered nor committed meanwhile.
   */
  private async deliverUnlessSettled(request: RoutedRequest, previousFirstTry: Promise<void> | undefined, firstTryDone: () => void, received: number): Promise<void> {
    let status: Awaited<ReturnType<ApiCallRepository['deliveryStatus']>>;
    try {
      status = await this.recorded(() => this.apiCalls.deliveryStatus(request.requestId));
      this.observe('status', (performance.now() - received) / 1000, 'ok');
    } catch (error) {
      void previousFirstTry?.then(firstTryDone, firstTryDone);
      throw error;
    }
    if (status !== 'accepted') {
      // The next request of the correlation still waits for the ones before this one.
      await previousFirstTry;
      firstTryDone();
      return;
    }
    await this.deliver(request, previousFirstTry, firstTryDone, received);
  }

  private track(work: Promise<void>): Promise<void> {
    this.pending.add(work);
    void work.then(
      () => this.pending.delete(work),
      () => this.pending.delete(work),
    );
    return work;
  }

  private async deliver(request: RoutedRequest, previousFirstTry: Promise<void> | undefined, firstTryDone: () => void, received: number): Promise<void> {
    let lastError = 'recipient is not an active participant';
    let attempts = 0;
    let recipient: Awaited<ReturnType<RecipientDirectory['get']>>;
    try {
      await previousFirstTry;
      recipient = await this.recipients.get(request.recipientCode);
    } catch (error) {
      firstTryDone();
      throw error;
    }
    if (!recipient || recipient.status !== 'Active') firstTryDone();
    else {
      const target = recipient;
      for (;;) {
        attempts += 1;
        const body = request.format === 'protocol_response' ? (JSON.parse(request.payload) as unknown) : { payload: request.payload };
        const outcome = await this.withRecipientSlot(request.recipientCode, () => {
          if (attempts === 1) this.observe('dispatch', (performance.now() - received) / 1000, 'ok');
          return this.post(`${target.endpointUrl}${request.apiPath}`, request.recipientCode, body);
        });
        if (attempts === 1) firstTryDone();
        if (outcome.ok) {
          await this.recorded(() => this.apiCalls.markDelivered(request.requestId, this.clock.now(), attempts));
          return;
        }
        lastError = outcome.error;
        await this.recorded(() => this.apiCalls.recordAttempt(request.requestId, attempts, lastError));
        if (attempts > this.options.retries) break;
        await this.later(this.options.backoffMs * 2 ** (attempts - 1));
      }
    }
    const callbackStatus = await this.errorCallback(request, lastError);
    const recorded = await this.recorded(() => this.apiCalls.deadLetter(request.requestId, lastError, attempts, callbackStatus));
    if (recorded) this.logger.warn({ requestId: request.requestId, apiPath: request.apiPath, recipient: request.recipientCode, attempts, callbackStatus }, 'protocol request dead-lettered');
  }

  /**
   * A write of what a recipient answered (or the status read before the first try): while the
   * database is away it is retried (capped backoff) instead of failing the delivery, which would
   * make it again once the database returns and hand the recipient the same request twice.
   */
  private async recorded<T>(write: () => Promise<T>): Promise<T> {
    for (let failures = 1; ; failures += 1) {
      try {
        return await write();
      } catch (error) {
        if (!isDatabaseUnavailable(error) || this.stopping) throw error;
        await this.sleep(Math.min(this.options.backoffMs * 2 ** Math.min(failures - 1, 8), 5_000));
      }
    }
  }

  /** A timer, not a blocked consumer; once stopping, the delivery is abandoned (left unsettled). */
  private async later(ms: number): Promise<void> {
    await this.sleep(ms);
    if (this.stopping) await new Promise<never>(() => undefined);
  }

  /**
   * At most `maxInFlightPerRecipient` deliveries per recipient; the rest wait in arrival order. A
   * freed slot passes straight to the longest waiter, so a delivery arriving meanwhile cannot take
   * it and send the waiter to the back of the queue (under a backlog that made a few deliveries wait
   * for the whole queue again and again: seconds of tail).
   */
  private async withRecipientSlot<T>(recipientCode: string, work: () => Promise<T>): Promise<T> {
    const limit = this.options.maxInFlightPerRecipient ?? 32;
    const inFlight = this.inFlight.get(recipientCode) ?? 0;
    if (inFlight < limit && !this.waiting.has(recipientCode)) this.inFlight.set(recipientCode, inFlight + 1);
    else {
      // Resolved by a finishing delivery that hands its slot over (the count stays as it is).
      await new Promise<void>((resolve) => {
        const queue = this.waiting.get(recipientCode);
        if (queue) queue.push(resolve);
        else this.waiting.set(recipientCode, [resolve]);
      });
    }
    try {
      return await work();
    } finally {
      const queue = this.waiting.get(recipientCode);
      const next = queue?.shift();
      if (queue && queue.length === 0) this.waiting.delete(recipientCode);
      if (next) next();
      else {
        const left = (this.inFlight.get(recipientCode) ?? 1) - 1;
        if (left === 0) this.inFlight.delete(recipientCode);
        else this.inFlight.set(recipientCode, left);
      }
    }
  }

  /** HCX error callback: plain x-hcx-* headers with response.error, from the HCX instance to the sender. */
  private async errorCallback(request: RoutedRequest, reason: string): Promise<string> {
    const api = protocolApiOf(request.apiPath);
    if (!api?.errorCallbackPath) return 'not_applicable';
    const sender = await this.recipients.get(request.senderCode);
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
      const outcome = await this.post(`${sender.endpointUrl}${api.errorCallbackPath}`, request.senderCode, body);
      if (outcome.ok) return 'delivered';
      if (attempt > this.options.retries) return 'failed';
      await this.later(this.options.backoffMs * 2 ** (attempt - 1));
    }
  }

  private async post(url: string, participantCode: string, body: unknown): Promise<Outcome> {
    const started = performance.now();
    const outcome = await this.send(url, participantCode, body);
    this.observe('deliver', (performance.now() - started) / 1000, outcome.ok ? 'ok' : 'failed');
    return outcome;
  }

  /** One try, as a client span of the routed request's trace; the participant gets its traceparent. */
  private send(url: string, participantCode: string, body: unknown): Promise<Outcome> {
    return inSpan('hcx deliver', { kind: SpanKind.CLIENT, attributes: { 'hcx.recipient_code': participantCode, 'url.full': url } }, async (span) => {
      const outcome = await this.sendOnce(url, participantCode, body);
      span.setAttribute('hcx.delivery.outcome', outcome.ok ? 'ok' : outcome.error);
      return outcome;
    });
  }

  private async sendOnce(url: string, participantCode: string, body: unknown): Promise<Outcome> {
    try {
      const response = await httpRequest(url, {
        dispatcher: this.agent,
        method: 'POST',
        headers: injectTraceContext({ 'content-type': 'application/json', authorization: `Bearer ${await this.signer.tokenFor(participantCode)}` }),
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      await response.body.dump().catch(() => undefined);
      // Redirects are not followed (undici's request never does): a 3xx is a failed try.
      return response.statusCode >= 200 && response.statusCode < 300 ? { ok: true } : { ok: false, error: `HTTP ${response.statusCode}` };
    } catch (error) {
      const name = (error as Error).name;
      const code = (error as { code?: string }).code;
      return { ok: false, error: name === 'TimeoutError' || name === 'AbortError' ? 'timeout' : `network error: ${code ?? name}` };
    }
  }
}
