import { randomBytes, randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import type { OutboxRelay, OutboxRow } from '@npi/database';
import type { NewParticipant, ParticipantChanges, ParticipantQuery, ParticipantRecord, ParticipantRepository, ParticipantSearch, SecretDeliveryRepository } from '@npi/hcx/data-access';
import { ManualClock } from '@npi/service-runtime';
import { participantKeys } from '../../test/support/hcx-fixtures';
import type { ParticipantKeys } from '../../test/support/hcx-fixtures';
import { ApiKeyVerifier, Hs256ApiKeyIssuer } from '../api-keys/api-key-verifier';
import type { HcxPrincipal } from '../api-keys/hcx-principal';
import { hmacKeyOf } from '../crypto/client-secret';
import { KeyEncryption, clientSecretContext } from '../crypto/key-encryption';
import { HcxError } from '../errors';
import { hcxAnswerOf } from '../hcx-errors.filter';
import { ParticipantCache } from './participant-cache';
import { HCX_ADMIN_ROLE, ParticipantRegistryService } from './participant-registry.service';
import type { ParticipantInput } from './participant-registry.service';
import { RegistryApiService } from './registry-api.service';

const ISSUER = 'hcx-registry-unit';
const BASE_URL = 'https://hcx.example';

/** The participant repository port in memory: the rows as the Prisma adapter would store them, and the outbox rows it would write with them. */
class InMemoryParticipantRepository implements ParticipantRepository {
  readonly rows = new Map<string, ParticipantRecord>();
  readonly events: OutboxRow[] = [];

  constructor(private readonly clock: ManualClock) {}

  async create(participant: NewParticipant, event: (record: ParticipantRecord) => OutboxRow): Promise<ParticipantRecord | 'exists'> {
    if (this.rows.has(participant.participantCode)) return 'exists';
    const now = this.clock.now();
    const record: ParticipantRecord = { ...participant, profile: participant.profile ?? {}, secretVersion: 1, createdAt: now, updatedAt: now };
    this.rows.set(record.participantCode, record);
    this.events.push(event(record));
    return structuredClone(record);
  }

  async find(participantCode: string): Promise<ParticipantRecord | null> {
    const record = this.rows.get(participantCode);
    return record ? structuredClone(record) : null;
  }

  async search(filter: ParticipantSearch): Promise<ParticipantRecord[]> {
    this.searchLimits.push(filter.limit);
    return [...this.rows.values()].filter((record) => (filter.role === undefined || record.roles.includes(filter.role)) && (filter.status === undefined || record.status === filter.status)).slice(0, filter.limit);
  }
  readonly searchLimits: number[] = [];

  /** Filters are the adapter's SQL (covered by its integration spec); here every row, ordered, paged. */
  async query(query: ParticipantQuery): Promise<ParticipantRecord[]> {
    return [...this.rows.values()].sort((a, b) => a.participantCode.localeCompare(b.participantCode)).slice(query.offset, query.offset + query.limit);
  }

  async update(participantCode: string, changes: ParticipantChanges, event: (record: ParticipantRecord) => OutboxRow): Promise<ParticipantRecord | null> {
    const current = this.rows.get(participantCode);
    if (!current) return null;
    const { secret, ...rest } = changes;
    const defined = Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
    const record: ParticipantRecord = { ...current, ...defined, updatedAt: this.clock.now() };
    if (secret) Object.assign(record, { secretCiphertext: secret.ciphertext, secretKekId: secret.kekId, secretVersion: current.secretVersion + 1 });
    this.rows.set(participantCode, record);
    this.events.push(event(record));
    return structuredClone(record);
  }
}

describe('participant registry rules', () => {
  let keys: ParticipantKeys;
  beforeAll(() => {
    keys = participantKeys('registry-unit');
  });

  function setup(options: { requireHttpsEndpoints?: boolean } = {}) {
    // The certificates are valid around the real now.
    const clock = new ManualClock(new Date());
    const repository = new InMemoryParticipantRepository(clock);
    const keyEncryption = new KeyEncryption({ k1: randomBytes(32).toString('base64') }, 'k1');
    const cache = new ParticipantCache(repository, keyEncryption, clock, { HCX_PARTICIPANT_CACHE_TTL_MS: 60_000 });
    const nudges = { outbox: 0, secretIssued: 0 };
    const outbox = { nudge: () => void (nudges.outbox += 1) } as Pick<OutboxRelay, 'nudge'> as OutboxRelay;
    const resends: string[] = [];
    const deliveries = {
      requestResend: async (code: string) => (repository.rows.has(code) ? (resends.push(code), {}) : null),
    } as Pick<SecretDeliveryRepository, 'requestResend'> as SecretDeliveryRepository;
    const deliveryWorker = { nudge: () => void (nudges.secretIssued += 1) };
    const registry = new ParticipantRegistryService(repository, keyEncryption, cache, deliveryWorker, outbox, clock, deliveries, {
      NODE_ENV: options.requireHttpsEndpoints === false ? 'development' : 'production',
    });
    const api = new RegistryApiService(registry, clock, { HCX_INSTANCE_ID: 'hcx-unit' });
    const verifier = new ApiKeyVerifier([new Hs256ApiKeyIssuer(ISSUER, cache, { clockSkewSeconds: 5, maxLifetimeSeconds: 3600 })], clock);
    const apiKey = (participantCode: string, clientSecret: string) => {
      const iat = Math.floor(clock.now().getTime() / 1000);
      return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setJti(randomUUID()).setIssuer(ISSUER).setSubject(participantCode).setIssuedAt(iat).setExpirationTime(iat + 600).sign(hmacKeyOf(clientSecret));
    };
    const input = (code: string, extra: Partial<ParticipantInput> = {}): ParticipantInput => ({
      participant_code: code,
      participant_name: `Participant ${code}`,
      roles: ['provider'],
      primary_email: `${code.replace('@', '.')}@example.org`,
      primary_mobile: '+977 9800000000',
      endpoint_url: 'https://participant.example/hcx',
      encryption_cert: keys.certificatePem,
      signing_cert: keys.certificatePem,
      ...extra,
    });
    return { clock, repository, keyEncryption, cache, nudges, resends, registry, api, verifier, apiKey, input };
  }

  const rejects = async (work: Promise<unknown>, code: string, status: number) => {
    const error = await work.then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(HcxError);
    // As the gateway answers it (HcxErrorsFilter's table).
    expect(hcxAnswerOf(error as HcxError)).toEqual({ code, status });
  };

  describe('ParticipantRegistryService', () => {
    it('stores the client_secret only encrypted, bound to its own row', async () => {
      const { registry, repository, keyEncryption, nudges, input } = setup();
      const { participant, client_secret } = await registry.create(input('prov-1@hcx'));
      const row = repository.rows.get('prov-1@hcx') as ParticipantRecord;
      expect(JSON.stringify(row)).not.toContain(client_secret);
      expect(row.secretCiphertext).toMatch(/^v1\.k1\./);
      expect(keyEncryption.decrypt(row.secretCiphertext, clientSecretContext('prov-1@hcx')).toString('utf8')).toBe(client_secret);
      // Copied onto another participant's row, the ciphertext does not open.
      expect(() => keyEncryption.decrypt(row.secretCiphertext, clientSecretContext('prov-2@hcx'))).toThrow('ciphertext does not authenticate');
      // The view and the outbox event never carry the secret or its ciphertext.
      expect(JSON.stringify(participant)).not.toContain(client_secret);
      expect(Object.keys(participant).filter((key) => /secret|kek/i.test(key))).toEqual([]);
      expect(JSON.stringify(repository.events)).not.toContain(client_secret);
      expect(JSON.stringify(repository.events)).not.toContain(row.secretCiphertext);
      expect(repository.events.map((event) => (event.payload as { data: { change: string } }).data.change)).toEqual(['created']);
      expect(nudges).toEqual({ outbox: 1, secretIssued: 1 });
    });

    it('refuses a duplicate participant_code (ERR_PARTICIPANT_EXISTS, 409) and keeps the first secret', async () => {
      const { registry, repository, input } = setup();
      await registry.create(input('prov-1@hcx'));
      const before = repository.rows.get('prov-1@hcx')?.secretCiphertext;
      await rejects(registry.create(input('prov-1@hcx', { participant_name: 'Impostor' })), 'ERR_PARTICIPANT_EXISTS', 409);
      expect(repository.rows.get('prov-1@hcx')).toMatchObject({ name: 'Participant prov-1@hcx', secretCiphertext: before });
    });

    it('refuses bad input with the documented codes before anything is stored', async () => {
      const { registry, repository, input } = setup();
      await rejects(registry.create(input('a@hcx', { roles: [] })), 'ERR_INVALID_REQUEST', 400);
      await rejects(registry.create(input('a@hcx', { roles: ['provider', 'superuser'] })), 'ERR_INVALID_REQUEST', 400);
      await rejects(registry.create(input('a@hcx', { endpoint_url: 'not a url' })), 'ERR_INVALID_REQUEST', 400);
      await rejects(registry.create(input('a@hcx', { endpoint_url: 'http://participant.example/hcx' })), 'ERR_INVALID_REQUEST', 400);
      await rejects(registry.create(input('a@hcx', { endpoint_url: 'https://user:pw@participant.example/hcx' })), 'ERR_INVALID_REQUEST', 400);
      await rejects(registry.create(input('a@hcx', { encryption_cert: 'not a certificate' })), 'ERR_INVALID_CERTIFICATE', 400);
      expect(repository.rows.size).toBe(0);
    });

    it('accepts http endpoints only outside production, and normalises the `payer` role', async () => {
      const { registry, input } = setup({ requireHttpsEndpoints: false });
      const { participant } = await registry.create(input('pay-1@hcx', { endpoint_url: 'http://127.0.0.1:9000/hcx/', roles: ['payer', 'payor'] }));
      expect(participant).toMatchObject({ endpoint_url: 'http://127.0.0.1:9000/hcx', roles: ['payor'] });
    });

    it('answers ERR_PARTICIPANT_NOT_FOUND (404) for an unknown participant everywhere', async () => {
      const { registry, resends } = setup();
      await rejects(registry.get('nobody@hcx', true), 'ERR_PARTICIPANT_NOT_FOUND', 404);
      await rejects(registry.update('nobody@hcx', { participant_name: 'x' }), 'ERR_PARTICIPANT_NOT_FOUND', 404);
      await rejects(registry.setStatus('nobody@hcx', 'Active'), 'ERR_PARTICIPANT_NOT_FOUND', 404);
      await rejects(registry.rotateSecret('nobody@hcx'), 'ERR_PARTICIPANT_NOT_FOUND', 404);
      await rejects(registry.resendSecret('nobody@hcx'), 'ERR_PARTICIPANT_NOT_FOUND', 404);
      expect(resends).toEqual([]);
    });

    it('only an Active participant transacts; blocking takes effect at once', async () => {
      const { registry, verifier, apiKey, input } = setup();
      const { client_secret } = await registry.create(input('prov-1@hcx'));
      const key = await apiKey('prov-1@hcx', client_secret);
      await expect(verifier.verify(key)).rejects.toThrow('participant is not active');
      await registry.setStatus('prov-1@hcx', 'Active');
      await expect(verifier.verify(key)).resolves.toMatchObject({ participantCode: 'prov-1@hcx' });
      for (const status of ['Blocked', 'Inactive'] as const) {
        await registry.setStatus('prov-1@hcx', status);
        await expect(verifier.verify(key)).rejects.toThrow('participant is not active');
      }
    });

    it('rotation is revocation: a new secret version, the old API key stops verifying, the new one works', async () => {
      const { registry, repository, verifier, apiKey, input, nudges } = setup();
      const { client_secret: first } = await registry.create(input('prov-1@hcx', { status: 'Active' }));
      const oldKey = await apiKey('prov-1@hcx', first);
      await expect(verifier.verify(oldKey)).resolves.toMatchObject({ participantCode: 'prov-1@hcx' });

      const rotated = await registry.rotateSecret('prov-1@hcx');
      expect(rotated.client_secret).not.toBe(first);
      const row = repository.rows.get('prov-1@hcx') as ParticipantRecord;
      expect(row.secretVersion).toBe(2);
      expect(JSON.stringify(row)).not.toContain(rotated.client_secret);
      expect(repository.events.at(-1)?.payload).toMatchObject({ data: { participantCode: 'prov-1@hcx', change: 'secret_rotated', secretVersion: 2 } });
      expect(nudges.secretIssued).toBe(2);

      await expect(verifier.verify(oldKey)).rejects.toThrow('API key signature invalid');
      await expect(verifier.verify(await apiKey('prov-1@hcx', rotated.client_secret))).resolves.toMatchObject({ participantCode: 'prov-1@hcx' });
    });

    it('shows contacts only in the full view and caps searches at 200', async () => {
      const { registry, repository, input } = setup();
      await registry.create(input('prov-1@hcx'));
      expect(await registry.get('prov-1@hcx', false)).not.toHaveProperty('primary_email');
      expect(await registry.get('prov-1@hcx', true)).toMatchObject({ primary_email: 'prov-1.hcx@example.org', primary_mobile: '+977 9800000000' });
      const [found] = await registry.search({ role: 'provider', limit: 10_000 }, false);
      expect(found).not.toHaveProperty('primary_email');
      expect(repository.searchLimits).toEqual([200]);
    });
  });

  describe('RegistryApiService', () => {
    const operator: HcxPrincipal = { kind: 'operator' };

    async function world() {
      const context = setup();
      const { registry, cache, input } = context;
      await registry.create(input('admin@hcx', { roles: [HCX_ADMIN_ROLE], status: 'Active' }));
      await registry.create(input('prov-1@hcx', { status: 'Active', profile: { payment_details: { account_number: '42' } } }));
      await registry.create(input('prov-2@hcx', { status: 'Active' }));
      const as = async (code: string): Promise<HcxPrincipal> => {
        const participant = await cache.get(code);
        if (!participant) throw new Error(`no ${code}`);
        return { kind: 'participant', participantCode: code, issuer: ISSUER, participant };
      };
      return { ...context, as };
    }

    const createRequest = (extra: Record<string, unknown> = {}) => ({
      participant_name: 'New Hospital',
      roles: ['provider'],
      primaryEmail: 'new@hospital.example',
      endpoint_url: 'https://hospital.example/hcx',
      encryption_cert: keys.certificatePem,
      ...extra,
    }) as Parameters<RegistryApiService['create']>[1];

    it('lets only the operator and the HCX admin role create participants', async () => {
      const { api, as, repository } = await world();
      const created = await api.create(operator, createRequest());
      expect(created.participant_code).toMatch(/^[0-9a-f]{10}@hcx-unit$/);
      await expect(api.create(await as('admin@hcx'), createRequest())).resolves.toHaveProperty('participant_code');
      await rejects(api.create(await as('prov-1@hcx'), createRequest()), 'ERR_ACCESS_DENIED', 403);
      expect(repository.rows.size).toBe(5);
    });

    it('accepts only uploaded PEM certificates (a URL is ERR_INVALID_CERTIFICATE)', async () => {
      const { api, repository } = await world();
      await rejects(api.create(operator, createRequest({ encryption_cert: 'https://elsewhere.example/cert.pem' })), 'ERR_INVALID_CERTIFICATE', 400);
      expect(repository.rows.size).toBe(3);
    });

    it('shows contacts and payment details only to the participant itself and the HCX admin', async () => {
      const { api, as } = await world();
      const other = await api.read(await as('prov-2@hcx'), 'prov-1@hcx', BASE_URL);
      expect(other).not.toHaveProperty('primaryEmail');
      expect(other).not.toHaveProperty('payment_details');
      expect(other).toMatchObject({ participant_code: 'prov-1@hcx', status: ['Active'], encryption_cert: `${BASE_URL}/certificates/prov-1%40hcx/encryption_cert.pem` });
      for (const reader of [await as('prov-1@hcx'), await as('admin@hcx'), operator]) {
        expect(await api.read(reader, 'prov-1@hcx', BASE_URL)).toMatchObject({ primaryEmail: 'prov-1.hcx@example.org', payment_details: { account_number: '42' } });
      }
      const { participants } = await api.search(await as('prov-2@hcx'), { filters: {}, limit: 10, offset: 0 } as Parameters<RegistryApiService['search']>[1], BASE_URL);
      expect(participants.map((view) => [view.participant_code, 'primaryEmail' in view])).toEqual([
        ['admin@hcx', false],
        ['prov-1@hcx', false],
        ['prov-2@hcx', true],
      ]);
      await rejects(api.read(operator, 'nobody@hcx', BASE_URL), 'ERR_PARTICIPANT_NOT_FOUND', 404);
    });

    it('lets a participant change only its own endpoint and certificates', async () => {
      const { api, as, repository } = await world();
      const self = await as('prov-1@hcx');
      await api.update(self, { participant_code: 'prov-1@hcx', endpoint_url: 'https://participant.example/v2' }, BASE_URL);
      expect(repository.rows.get('prov-1@hcx')?.endpointUrl).toBe('https://participant.example/v2');
      await rejects(api.update(self, { participant_code: 'prov-2@hcx', endpoint_url: 'https://evil.example' }, BASE_URL), 'ERR_ACCESS_DENIED', 403);
      await rejects(api.update(self, { participant_code: 'prov-1@hcx', roles: [HCX_ADMIN_ROLE] } as Parameters<RegistryApiService['update']>[1], BASE_URL), 'ERR_ACCESS_DENIED', 403);
      await rejects(api.update(self, { participant_code: 'prov-1@hcx', status: 'Active' }, BASE_URL), 'ERR_ACCESS_DENIED', 403);
      expect(repository.rows.get('prov-2@hcx')?.endpointUrl).toBe('https://participant.example/hcx');
      expect(repository.rows.get('prov-1@hcx')?.roles).toEqual(['provider']);
    });

    it('lets the HCX admin change any participant; a certificate URL of its own is no change', async () => {
      const { api, as, repository } = await world();
      const before = repository.rows.get('prov-2@hcx')?.encryptionCert;
      await api.update(await as('admin@hcx'), { participant_code: 'prov-2@hcx', status: 'Blocked', encryption_cert: `${BASE_URL}/certificates/prov-2%40hcx/encryption_cert.pem` }, BASE_URL);
      expect(repository.rows.get('prov-2@hcx')).toMatchObject({ status: 'Blocked', encryptionCert: before });
      await rejects(api.update(operator, { participant_code: 'nobody@hcx', participant_name: 'x' }, BASE_URL), 'ERR_PARTICIPANT_NOT_FOUND', 404);
    });

    it('deletes softly (InActive), for the HCX admin only, and the participant stops transacting', async () => {
      const { api, as, registry, repository, verifier, apiKey } = await world();
      const { client_secret } = await registry.rotateSecret('prov-2@hcx');
      const key = await apiKey('prov-2@hcx', client_secret);
      await expect(verifier.verify(key)).resolves.toMatchObject({ participantCode: 'prov-2@hcx' });
      await rejects(api.delete(await as('prov-1@hcx'), 'prov-2@hcx'), 'ERR_ACCESS_DENIED', 403);
      expect(repository.rows.get('prov-2@hcx')?.status).toBe('Active');
      await api.delete(operator, 'prov-2@hcx');
      expect(repository.rows.get('prov-2@hcx')?.status).toBe('Inactive');
      await expect(verifier.verify(key)).rejects.toThrow('participant is not active');
      await rejects(api.delete(operator, 'nobody@hcx'), 'ERR_PARTICIPANT_NOT_FOUND', 404);
    });
  });
});
