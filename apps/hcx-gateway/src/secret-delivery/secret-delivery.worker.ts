import type { BeforeApplicationShutdown, OnApplicationBootstrap } from '@nestjs/common';
import type { Logger } from 'pino';
import type { ParticipantRepository, SecretDeliveryRecord, SecretDeliveryRepository } from '@npi/hcx/data-access';
import type { Clock } from '@npi/service-runtime';
import { clientSecretContext } from '../crypto/key-encryption';
import type { KeyEncryption } from '../crypto/key-encryption';
import type { SecretNotifier } from './secret-notifier';

export interface SecretDeliveryOptions {
  pollMs: number;
  backoffMs: number;
  maxBackoffMs: number;
  leaseMs: number;
  batchSize?: number;
}

/**
 * Delivers client secrets from the delivery outbox (hcx.secret_delivery): rows are written in the
 * transaction that creates or rotates a secret, so none is lost; each due row is leased to one
 * replica, handed to the notifier (which alone decrypts the secret), and marked delivered — or
 * retried with exponential backoff (capped), forever, until it is delivered or a newer secret
 * supersedes it. Logs name the participant and the failure class, never the secret or the message.
 */
export class SecretDeliveryWorker implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = true;
  private again = false;

  constructor(
    private readonly deliveries: SecretDeliveryRepository,
    private readonly participants: ParticipantRepository,
    private readonly keys: KeyEncryption,
    private readonly notifier: SecretNotifier,
    private readonly clock: Clock,
    private readonly logger: Logger,
    private readonly options: SecretDeliveryOptions,
  ) {}

  onApplicationBootstrap(): void {
    this.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** A secret was just issued on this replica: look now rather than at the next poll. */
  nudge(): void {
    if (!this.stopped) this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** Processes every due row once; answers how many were delivered. */
  async runOnce(): Promise<number> {
    const due = await this.deliveries.claimDue(this.clock.now(), this.options.batchSize ?? 20, this.options.leaseMs);
    let delivered = 0;
    for (const delivery of due) if (await this.deliver(delivery)) delivered += 1;
    return delivered;
  }

  private async deliver(delivery: SecretDeliveryRecord): Promise<boolean> {
    const record = await this.participants.find(delivery.participantCode);
    if (!record || record.secretVersion !== delivery.secretVersion) {
      await this.deliveries.markSuperseded(delivery.id);
      return false;
    }
    try {
      await this.notifier.deliver({
        participantCode: record.participantCode,
        participantName: record.name,
        primaryEmail: record.primaryEmail,
        primaryMobile: record.primaryMobile,
        reason: delivery.reason,
        secretVersion: record.secretVersion,
        secret: { reveal: () => this.keys.decrypt(record.secretCiphertext, clientSecretContext(record.participantCode)).toString('utf8') },
      });
    } catch (error) {
      const wait = Math.min(this.options.maxBackoffMs, this.options.backoffMs * 2 ** Math.max(0, delivery.attempts - 1));
      const failure = `${(error as Error).name}${(error as { code?: unknown }).code ? ` ${String((error as { code?: unknown }).code)}` : ''}`;
      await this.deliveries.retryLater(delivery.id, new Date(this.clock.now().getTime() + wait), failure);
      this.logger.warn({ participantCode: delivery.participantCode, channel: this.notifier.channel, attempts: delivery.attempts, failure, retryInMs: wait }, 'client secret delivery failed; will retry');
      return false;
    }
    await this.deliveries.markDelivered(delivery.id, this.clock.now());
    this.logger.info({ participantCode: delivery.participantCode, channel: this.notifier.channel, reason: delivery.reason, secretVersion: delivery.secretVersion }, 'client secret delivered');
    return true;
  }

  private schedule(delayMs: number): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.runOnce();
    try {
      await this.running;
    } catch (error) {
      this.logger.warn({ failure: (error as Error).name }, 'client secret delivery pass failed; will retry');
    } finally {
      this.running = undefined;
      const now = this.again;
      this.again = false;
      if (!this.stopped) this.schedule(now ? 0 : this.options.pollMs);
    }
  }
}
