import { SignJWT } from 'jose';
import { ManualClock } from '@npi/service-runtime';
import { hmacKeyOf } from '../crypto/client-secret';
import type { CachedParticipant } from '../registry/participant-cache';
import { ApiKeyVerifier, Hs256ApiKeyIssuer } from './api-key-verifier';

const ISSUER = 'hcx-test';

describe('ApiKeyVerifier with the HS256 issuer (verified keys are remembered)', () => {
  const clock = new ManualClock();
  let participant: CachedParticipant;
  const verifier = new ApiKeyVerifier(
    [new Hs256ApiKeyIssuer(ISSUER, { get: async (code) => (code === participant.participantCode ? participant : null) }, { clockSkewSeconds: 5, maxLifetimeSeconds: 3600 })],
    clock,
  );
  const withSecret = (secret: string): CachedParticipant => ({
    participantCode: 'provider-1',
    name: 'p',
    roles: ['provider'],
    status: 'Active',
    endpointUrl: 'http://127.0.0.1:9',
    secretVersion: 1,
    hmacKey: hmacKeyOf(secret),
  });
  const keyFor = (secret: string, lifetimeSeconds = 600) => {
    const iat = Math.floor(clock.now().getTime() / 1000);
    return new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setJti('j1').setIssuer(ISSUER).setSubject('provider-1').setIssuedAt(iat).setExpirationTime(iat + lifetimeSeconds).sign(hmacKeyOf(secret));
  };

  beforeEach(() => {
    clock.set(Date.UTC(2026, 10, 25, 6, 0, 0));
    participant = withSecret('secret-one-secret-one-secret-one-1234567');
  });

  it('accepts the same key again, and refuses it once expired although it was verified before', async () => {
    const key = await keyFor('secret-one-secret-one-secret-one-1234567');
    await expect(verifier.verify(key)).resolves.toMatchObject({ participantCode: 'provider-1' });
    await expect(verifier.verify(key)).resolves.toMatchObject({ participantCode: 'provider-1' });
    clock.advance(606_000);
    await expect(verifier.verify(key)).rejects.toThrow('API key expired');
  });

  it('refuses a verified key at once when the participant secret changes', async () => {
    const key = await keyFor('secret-one-secret-one-secret-one-1234567');
    await verifier.verify(key);
    participant = withSecret('secret-two-secret-two-secret-two-1234567');
    await expect(verifier.verify(key)).rejects.toThrow('API key signature invalid');
  });

  it('refuses a verified key when the participant is no longer active', async () => {
    const key = await keyFor('secret-one-secret-one-secret-one-1234567');
    await verifier.verify(key);
    participant = { ...participant, status: 'Suspended' as CachedParticipant['status'] };
    await expect(verifier.verify(key)).rejects.toThrow('participant is not active');
  });

  it('never remembers a forged key: a wrong signature stays refused', async () => {
    const good = await keyFor('secret-one-secret-one-secret-one-1234567');
    const forged = `${good.slice(0, good.lastIndexOf('.') + 1)}${'A'.repeat(43)}`;
    await expect(verifier.verify(forged)).rejects.toThrow('API key signature invalid');
    await expect(verifier.verify(forged)).rejects.toThrow('API key signature invalid');
  });
});
