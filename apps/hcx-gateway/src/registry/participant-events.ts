import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { HcxParticipantUpdatedV1 } from '@npi/kafka-contracts';
import { publishEvent, subscribeToEvent } from '@npi/messaging';
import type { MessageBroker, Subscription } from '@npi/messaging';
import type { ParticipantCache } from './participant-cache';

const PROBE_PREFIX = 'hcx-probe-';

/**
 * Every replica listens to hcx.participant.updated.v1 in a consumer group of its own (so each one
 * sees every event) and drops its cached copy: rotation, blocking and deactivation reach all
 * replicas. A new group starts at the end of the topic, so start() publishes a probe event until the
 * replica sees it — then the subscription is live and no later update can be missed.
 */
export class ParticipantEventsListener {
  private subscription?: Subscription;
  private readonly probes = new Set<string>();

  constructor(
    private readonly broker: MessageBroker,
    private readonly cache: ParticipantCache,
    private readonly logger: Logger,
    private readonly replicaId: string,
  ) {}

  async start(readyTimeoutMs = 60_000): Promise<void> {
    this.subscription = await subscribeToEvent(this.broker, {
      groupId: `hcx-gateway.participant-cache.${this.replicaId}`,
      contract: HcxParticipantUpdatedV1,
      fromBeginning: false,
      handler: async (event) => {
        this.probes.delete(event.data.participantCode);
        this.cache.invalidate(event.data.participantCode);
      },
    });
    const probe = `${PROBE_PREFIX}${randomUUID()}`;
    this.probes.add(probe);
    const deadline = Date.now() + readyTimeoutMs;
    while (this.probes.has(probe)) {
      if (Date.now() > deadline) {
        this.logger.warn('participant cache subscription not confirmed live; relying on the cache TTL');
        return;
      }
      await publishEvent(this.broker, HcxParticipantUpdatedV1, { participantCode: probe, change: 'updated', status: 'Created', secretVersion: 0 }, { producer: 'hcx-gateway', key: probe });
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }

  async stop(): Promise<void> {
    await this.subscription?.close();
    this.subscription = undefined;
  }
}
