import { generateKeyPairSync } from 'node:crypto';
import { CompactSign } from 'jose';
import pino from 'pino';
import type { ParticipantQuery, ParticipantRecord, ParticipantRepository } from '@npi/hcx/data-access';
import { ManualClock } from '@npi/service-runtime';
import { certificateWith } from '../../test/support/test-certificates';
import { CertificateExpiryWatcher } from './certificate-expiry';
import { InMemoryNotificationRepository } from './in-memory-notification.repository';
import { NotificationService } from './notification.service';

const INSTANCE = 'hcx-unit';
const EXPIRY_TOPIC = `notif-certificate-expiry@${INSTANCE}`;
const DAY = 24 * 3600_000;
const START = new Date('2026-12-06T00:00:00Z');

function participant(code: string, encryptionCert: string, signingCert = encryptionCert): ParticipantRecord {
  return { participantCode: code, name: code, roles: ['provider'], status: 'Active', primaryEmail: 'a@b.c', primaryMobile: null, endpointUrl: 'http://127.0.0.1:9', encryptionCert, signingCert, secretCiphertext: '', secretKekId: 'k', secretVersion: 1, profile: {}, createdAt: START, updatedAt: START };
}

const expiringIn = (days: number) => certificateWith(undefined, { from: new Date(START.getTime() - DAY), to: new Date(START.getTime() + days * DAY) });

describe('CertificateExpiryWatcher', () => {
  const gatewayKey = generateKeyPairSync('rsa', { modulusLength: 2048 });

  function setup(rows: ParticipantRecord[]) {
    const clock = new ManualClock(START);
    const registry = new Map(rows.map((row) => [row.participantCode, row]));
    const participantRepository = {
      query: async (query: ParticipantQuery) => [...registry.values()].filter((row) => row.status === 'Active').slice(query.offset, query.offset + query.limit),
      find: async (code: string) => registry.get(code) ?? null,
    } as unknown as ParticipantRepository;
    const repository = new InMemoryNotificationRepository();
    const signer = { signJws: (header: Record<string, unknown>, payload: Uint8Array) => new CompactSign(payload).setProtectedHeader({ ...header, alg: 'RS256' }).sign(gatewayKey.privateKey) };
    const service = new NotificationService(repository, participantRepository, signer, clock, { HCX_INSTANCE_ID: INSTANCE, HCX_TIMESTAMP_MAX_AGE_SECONDS: 600, HCX_CLOCK_SKEW_SECONDS: 30 });
    const config = { HCX_CERT_EXPIRY_LEAD_DAYS: 30, HCX_CERT_EXPIRY_CHECK_INTERVAL_MS: 0 };
    const watcher = () => new CertificateExpiryWatcher(participantRepository, repository, service, clock, pino({ level: 'silent' }), config);
    return { clock, registry, repository, service, watcher };
  }

  it('notifies a subscribed participant once per certificate and lead window, whatever the number of replicas', async () => {
    const { repository, service, watcher, clock } = setup([participant('soon@hcx', expiringIn(20)), participant('later@hcx', expiringIn(45))]);
    for (const code of ['soon@hcx', 'later@hcx']) {
      await service.subscribe({ kind: 'participant', participantCode: code, roles: ['provider'] }, { topic_code: EXPIRY_TOPIC, sender_list: [INSTANCE] });
    }
    const [first, second] = [watcher(), watcher()];
    expect(await Promise.all([first.checkOnce(), second.checkOnce()])).toEqual(expect.arrayContaining([1, 0]));
    expect(repository.deliveries.map((d) => d.call.recipientCode)).toEqual(['soon@hcx']);
    expect(await first.checkOnce()).toBe(0);
    // 15 days later the other certificate enters its window.
    clock.advance(15 * DAY);
    expect(await second.checkOnce()).toBe(1);
    expect(repository.deliveries.map((d) => d.call.recipientCode)).toEqual(['soon@hcx', 'later@hcx']);
    expect(repository.notifications.map((n) => n.topicCode)).toEqual([EXPIRY_TOPIC, EXPIRY_TOPIC]);
  });

  it('a replacement certificate (new notAfter) gets its own notice; distinct signing and encryption certificates each get one', async () => {
    const { registry, repository, service, watcher } = setup([participant('two@hcx', expiringIn(10), expiringIn(12))]);
    await service.subscribe({ kind: 'participant', participantCode: 'two@hcx', roles: ['provider'] }, { topic_code: EXPIRY_TOPIC, sender_list: [INSTANCE] });
    expect(await watcher().checkOnce()).toBe(2);
    registry.set('two@hcx', participant('two@hcx', expiringIn(25), expiringIn(12)));
    expect(await watcher().checkOnce()).toBe(1);
    expect(repository.deliveries).toHaveLength(3);
  });

  it('gives the claim back when the notification could not be written, so the next check sends it', async () => {
    const { repository, watcher } = setup([participant('flaky@hcx', expiringIn(5))]);
    const original = repository.recordNotification.bind(repository);
    repository.recordNotification = async () => {
      throw new Error('database unavailable');
    };
    await expect(watcher().checkOnce()).rejects.toThrow('database unavailable');
    repository.recordNotification = original;
    expect(await watcher().checkOnce()).toBe(1);
  });
});
