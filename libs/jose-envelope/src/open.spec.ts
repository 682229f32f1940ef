import { InMemoryReplayStore, KeySet, PrivateKeyPool, open, seal, type OpenOptions, type Sender, type SenderResolver } from './index';
import { rawJws, rawJwe, rs256 } from './fixtures/craft';
import { rsaKeyPair } from './fixtures/test-keys';

// Launch token of NPI Billers v2 (docs/npi-reference.md): only these three claims, no iss/iat/exp.
const LAUNCH = { participant_code: 'BANK01', session_id: 'BANK01_6f1c0b1e-3a47-4c1f-9a52-1d0e5b7c9a10', channel: 'web' };
const NOW_MS = Date.UTC(2025, 10, 25, 9, 0, 0);
const NOW = NOW_MS / 1000;

describe.each([
  ['worker pool', true],
  ['in-process', false],
] as const)('seal/open round trip (%s)', (_label, offloadFlag) => {
  let pool: PrivateKeyPool | undefined;
  const offload = (): PrivateKeyPool | false => (offloadFlag ? (pool ??= new PrivateKeyPool({ size: 2 })) : false);
  afterAll(async () => {
    await pool?.close();
  });

  async function setup() {
    const sender = await rsaKeyPair('sender');
    const recipient = await rsaKeyPair('recipient');
    const decryptionKeys = new KeySet([{ kid: 'bank01-enc-1', key: recipient.privateKey, use: 'enc' }]);
    const senderKeys = new KeySet([{ kid: 'npi-sig-1', key: sender.publicKey, use: 'sig' }]);
    const signer = { signingKey: sender.privateKey, kid: 'npi-sig-1' };
    const to = { recipientKey: recipient.publicKey, kid: 'bank01-enc-1' };
    return { sender, recipient, decryptionKeys, senderKeys, signer, to };
  }

  it('returns the claims, both protected headers and the authenticated sender', async () => {
    const { decryptionKeys, senderKeys, signer, to } = await setup();
    const token = await seal(LAUNCH, signer, to, { offload: offload() });
    const result = await open(token, { decryptionKeys, sender: { id: 'NPI', keys: senderKeys }, offload: offload() });
    expect(result.claims).toEqual(LAUNCH);
    expect(result.protectedHeader.jwe).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: 'bank01-enc-1' });
    expect(result.protectedHeader.jws).toEqual({ alg: 'PS256', kid: 'npi-sig-1', typ: 'JWT' });
    expect(result.sender).toEqual({ id: 'NPI', kid: 'npi-sig-1' });
  });

  it('produces a fresh CEK and IV per message', async () => {
    const { signer, to } = await setup();
    const [a, b] = await Promise.all([seal(LAUNCH, signer, to, { offload: offload() }), seal(LAUNCH, signer, to, { offload: offload() })]);
    const [, keyA, ivA, ctA] = a.split('.');
    const [, keyB, ivB, ctB] = b.split('.');
    expect(keyA).not.toBe(keyB);
    expect(ivA).not.toBe(ivB);
    expect(ctA).not.toBe(ctB);
  });

  it('handles many concurrent seals and opens', async () => {
    const { decryptionKeys, senderKeys, signer, to } = await setup();
    const tokens = await Promise.all(Array.from({ length: 40 }, (_, index) => seal({ ...LAUNCH, n: index }, signer, to, { offload: offload() })));
    const results = await Promise.all(tokens.map((token) => open(token, { decryptionKeys, sender: { id: 'NPI', keys: senderKeys }, offload: offload() })));
    expect(results.map((result) => result.claims.n)).toEqual(Array.from({ length: 40 }, (_, index) => index));
  });

  it('adds iat/exp/jti when asked, from the injected clock', async () => {
    const { decryptionKeys, senderKeys, signer, to } = await setup();
    const token = await seal({ sub: 'x' }, signer, to, { expiresIn: 3600, jti: true, now: () => NOW_MS, offload: offload() });
    const { claims } = await open(token, { decryptionKeys, sender: { id: 'NPI', keys: senderKeys }, now: () => NOW_MS, offload: offload() });
    expect(claims.iat).toBe(NOW);
    expect(claims.exp).toBe(NOW + 3600);
    expect(claims.jti).toMatch(/^[0-9a-f-]{36}$/);
  });
});

describe('open: key rotation', () => {
  it('decrypts with whichever active key the JWE kid names', async () => {
    const sender = await rsaKeyPair('sender');
    const oldKey = await rsaKeyPair('recipient-old');
    const newKey = await rsaKeyPair('recipient-new');
    const decryptionKeys = new KeySet([
      { kid: 'enc-2024', key: oldKey.privateKey, use: 'enc' },
      { kid: 'enc-2025', key: newKey.privateKey, use: 'enc' },
    ]);
    const senderKeys = new KeySet([
      { kid: 'sig-2024', key: (await rsaKeyPair('sender-old')).publicKey, use: 'sig' },
      { kid: 'sig-2025', key: sender.publicKey, use: 'sig' },
    ]);
    const options: OpenOptions = { decryptionKeys, sender: { id: 'NPI', keys: senderKeys }, offload: false };
    const viaOld = await seal(LAUNCH, { signingKey: sender.privateKey, kid: 'sig-2025' }, { recipientKey: oldKey.publicKey, kid: 'enc-2024' }, { offload: false });
    const viaNew = await seal(LAUNCH, { signingKey: sender.privateKey, kid: 'sig-2025' }, { recipientKey: newKey.publicKey, kid: 'enc-2025' }, { offload: false });
    expect((await open(viaOld, options)).protectedHeader.jwe.kid).toBe('enc-2024');
    expect((await open(viaNew, options)).protectedHeader.jwe.kid).toBe('enc-2025');
  });

  it('uses the only key when the JWE has no kid', async () => {
    const sender = await rsaKeyPair('sender');
    const recipient = await rsaKeyPair('recipient');
    const jws = rawJws({ alg: 'RS256', kid: 's' }, LAUNCH, rs256(sender.privateKey));
    const token = rawJwe({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' }, jws, recipient.publicKey);
    const result = await open(token, {
      decryptionKeys: new KeySet([{ kid: 'only', key: recipient.privateKey, use: 'enc' }]),
      sender: { id: 'P', keys: new KeySet([{ kid: 's', key: sender.publicKey, use: 'sig' }]), algorithms: ['PS256', 'RS256'] },
      offload: false,
    });
    expect(result.claims).toEqual(LAUNCH);
  });
});

describe('open: NPI Billers launch token (sender resolved from participant_code)', () => {
  async function registry() {
    const bank = await rsaKeyPair('bank01-sig');
    const wallet = await rsaKeyPair('wallet02-sig');
    const billers = await rsaKeyPair('billers-enc');
    const participants = new Map<string, Sender>([
      ['BANK01', { id: 'BANK01', keys: new KeySet([{ kid: 'bank01-2025', key: bank.publicKey, use: 'sig' }]) }],
      // This participant's integration signs RS256, as the seed's verification step reads.
      ['WALLET02', { id: 'WALLET02', keys: new KeySet([{ kid: 'wallet02-2025', key: wallet.publicKey, use: 'sig' }]), algorithms: ['PS256', 'RS256'] }],
    ]);
    const resolver: SenderResolver = ({ claims }) =>
      typeof claims.participant_code === 'string' ? participants.get(claims.participant_code) : undefined;
    const options = (store = new InMemoryReplayStore()): OpenOptions => ({
      decryptionKeys: new KeySet([{ kid: 'billers-enc-1', key: billers.privateKey, use: 'enc' }]),
      sender: resolver,
      requiredClaims: ['participant_code', 'session_id', 'channel'],
      replay: { store, claim: 'session_id' },
      offload: false,
    });
    return { bank, wallet, billers, options };
  }

  it('authenticates the participant named in the token with that participant\'s keys', async () => {
    const { bank, billers, options } = await registry();
    const token = await seal(LAUNCH, { signingKey: bank.privateKey, kid: 'bank01-2025' }, { recipientKey: billers.publicKey, kid: 'billers-enc-1' }, { offload: false });
    const result = await open(token, options());
    expect(result.sender).toEqual({ id: 'BANK01', kid: 'bank01-2025' });
    expect(result.claims).toEqual(LAUNCH);
  });

  it('accepts RS256 from a participant configured for it', async () => {
    const { wallet, billers, options } = await registry();
    const claims = { participant_code: 'WALLET02', session_id: 'WALLET02_0b7f3c9e-1111-4a2b-8c3d-9e8f7a6b5c4d', channel: 'mob' };
    const token = await seal(claims, { signingKey: wallet.privateKey, kid: 'wallet02-2025', alg: 'RS256' }, { recipientKey: billers.publicKey, kid: 'billers-enc-1' }, { offload: false });
    expect((await open(token, options())).sender.id).toBe('WALLET02');
  });

  it('lets a session_id initialise one session only', async () => {
    const { bank, billers, options } = await registry();
    const store = new InMemoryReplayStore();
    const token = await seal(LAUNCH, { signingKey: bank.privateKey, kid: 'bank01-2025' }, { recipientKey: billers.publicKey, kid: 'billers-enc-1' }, { offload: false });
    await open(token, options(store));
    // A second, freshly sealed token with the same session_id is a replay too.
    const again = await seal(LAUNCH, { signingKey: bank.privateKey, kid: 'bank01-2025' }, { recipientKey: billers.publicKey, kid: 'billers-enc-1' }, { offload: false });
    await expect(open(again, options(store))).rejects.toMatchObject({ code: 'ERR_TOKEN_REPLAYED' });
  });

  it('propagates a resolver failure unchanged (an outage is not an unknown sender)', async () => {
    const { bank, billers, options } = await registry();
    const token = await seal(LAUNCH, { signingKey: bank.privateKey, kid: 'bank01-2025' }, { recipientKey: billers.publicKey, kid: 'billers-enc-1' }, { offload: false });
    const outage = new Error('registry unavailable');
    await expect(open(token, { ...options(), sender: () => Promise.reject(outage) })).rejects.toBe(outage);
  });
});

describe('open: time claims with an injected clock', () => {
  async function sealed(claims: Record<string, unknown>) {
    const sender = await rsaKeyPair('sender');
    const recipient = await rsaKeyPair('recipient');
    const token = await seal(claims, { signingKey: sender.privateKey, kid: 's' }, { recipientKey: recipient.publicKey, kid: 'r' }, { offload: false });
    const base: OpenOptions = {
      decryptionKeys: new KeySet([{ kid: 'r', key: recipient.privateKey, use: 'enc' }]),
      sender: { id: 'P', keys: new KeySet([{ kid: 's', key: sender.publicKey, use: 'sig' }]) },
      offload: false,
    };
    return { token, base };
  }

  it('accepts a token inside the clock skew after exp and refuses it after', async () => {
    const { token, base } = await sealed({ exp: NOW });
    await expect(open(token, { ...base, now: () => (NOW + 29) * 1000 })).resolves.toBeDefined();
    await expect(open(token, { ...base, now: () => (NOW + 30) * 1000 })).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
    await expect(open(token, { ...base, clockSkewSeconds: 0, now: () => NOW * 1000 })).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
  });

  it('applies the maximum token age to iat', async () => {
    const { token, base } = await sealed({ iat: NOW });
    await expect(open(token, { ...base, maxTokenAgeSeconds: 300, now: () => (NOW + 320) * 1000 })).resolves.toBeDefined();
    await expect(open(token, { ...base, maxTokenAgeSeconds: 300, now: () => (NOW + 331) * 1000 })).rejects.toMatchObject({ code: 'ERR_TOKEN_TOO_OLD' });
  });

  it('accepts a matching audience from a list', async () => {
    const { token, base } = await sealed({ aud: ['other', 'npi-billers'] });
    await expect(open(token, { ...base, audience: 'npi-billers' })).resolves.toBeDefined();
  });

  it('records the replay key until exp (plus skew) when the token has exp', async () => {
    const { token, base } = await sealed({ jti: 'j-1', exp: NOW + 600 });
    const markUsed = jest.fn<Promise<boolean>, [string, Date]>().mockResolvedValue(true);
    await open(token, { ...base, now: () => NOW_MS, replay: { store: { markUsed } } });
    expect(markUsed).toHaveBeenCalledTimes(1);
    const [key, expiresAt] = markUsed.mock.calls[0];
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(key).not.toContain('j-1');
    expect(expiresAt.getTime()).toBe((NOW + 600 + 30) * 1000);
  });

  it('records the replay key for the retention period when the token has no exp', async () => {
    const { token, base } = await sealed({ jti: 'j-2' });
    const markUsed = jest.fn<Promise<boolean>, [string, Date]>().mockResolvedValue(true);
    await open(token, { ...base, now: () => NOW_MS, replay: { store: { markUsed }, retentionSeconds: 3600 } });
    expect(markUsed.mock.calls[0][1].getTime()).toBe(NOW_MS + 3600 * 1000);
  });

  it('does not consume the replay key of a token that fails another check', async () => {
    const { token, base } = await sealed({ jti: 'j-3', exp: NOW });
    const store = new InMemoryReplayStore({ now: () => NOW_MS });
    await expect(open(token, { ...base, replay: { store }, now: () => (NOW + 3600) * 1000 })).rejects.toMatchObject({ code: 'ERR_TOKEN_EXPIRED' });
    expect(store.size).toBe(0);
  });
});
