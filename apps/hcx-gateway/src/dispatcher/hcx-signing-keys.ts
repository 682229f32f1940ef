import { createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { StartupError, interpretSetting, readSettingFile } from '@npi/config';
import { CompactSign, SignJWT, calculateJwkThumbprint, exportJWK } from 'jose';
import type { JWK } from 'jose';
import type { SigningKeyRepository } from '@npi/hcx/data-access';
import type { Clock } from '@npi/service-runtime';
import { signingKeyContext } from '../crypto/key-encryption';
import type { KeyEncryption } from '../crypto/key-encryption';
import { HcxError } from '../errors';

interface ActiveKey {
  kid: string;
  privateKey: KeyObject;
  loadedAt: number;
}

const REFRESH_MS = 60_000;
/** A token is reused for a recipient for at most this long, and never within EXPIRY_MARGIN_S of its exp. */
const TOKEN_REUSE_MS = 60_000;
const EXPIRY_MARGIN_S = 30;

interface CachedToken {
  token: Promise<string>;
  kid: string;
  reuseUntil: number;
}

/**
 * The HCX instance's RS256 keys (seed 002 "Securing Participant System APIs"). From configuration
 * (PKCS#8 PEM file) when given; otherwise generated at first start and stored encrypted under the
 * KEK so every replica signs with, and publishes, the same key. Rotation inserts a new active key;
 * older public keys stay in the JWKS so tokens already in flight still verify.
 */
export class HcxSigningKeys {
  private active?: ActiveKey;
  private loading?: Promise<void>;
  private configured?: { kid: string; privateKey: KeyObject; jwk: JWK };
  private readonly tokens = new Map<string, CachedToken>();

  constructor(
    private readonly repository: SigningKeyRepository,
    private readonly keys: KeyEncryption,
    private readonly clock: Clock,
    private readonly options: { instanceId: string; tokenLifetimeSeconds: number; keyFile?: string; keyId?: string },
  ) {}

  async init(): Promise<void> {
    if (this.options.keyFile) {
      const pem = readSettingFile('HCX_SIGNING_KEY_FILE', this.options.keyFile);
      const privateKey = interpretSetting('HCX_SIGNING_KEY_FILE', `${this.options.keyFile} is not a PEM private key`, () => createPrivateKey(pem));
      if (privateKey.asymmetricKeyType !== 'rsa' || (privateKey.asymmetricKeyDetails?.modulusLength ?? 0) < 2048) {
        throw new StartupError('HCX_SIGNING_KEY_FILE', 'must hold an RSA private key of at least 2048 bits');
      }
      const jwk = await exportJWK(createPublicKey(privateKey));
      const kid = this.options.keyId ?? (await calculateJwkThumbprint(jwk));
      this.configured = { kid, privateKey, jwk: { ...jwk, kid, alg: 'RS256', use: 'sig' } };
      return;
    }
    await this.loadActive();
  }

  /**
   * A fresh RS256 token for calls to a participant system: jti, iss = sub = HCX id, aud = the
   * recipient's participant code (so a token one participant received is refused by another), iat,
   * exp; kid in the header.
   */
  async sign(recipientCode?: string): Promise<string> {
    const { kid, privateKey } = await this.signingKey();
    const now = Math.floor(this.clock.now().getTime() / 1000);
    return new SignJWT(recipientCode ? { aud: recipientCode } : {})
      .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
      .setJti(randomUUID())
      .setIssuer(this.options.instanceId)
      .setSubject(this.options.instanceId)
      .setIssuedAt(now)
      .setExpirationTime(now + this.options.tokenLifetimeSeconds)
      .sign(privateKey);
  }

  /**
   * The token for calls to one participant system: signed once and reused for up to a minute (and
   * never closer than 30 s to its exp), so the RSA signature is not paid on every delivery. A key
   * rotation or a new active key starts fresh tokens at once.
   */
  async tokenFor(recipientCode: string): Promise<string> {
    const now = this.clock.now().getTime();
    const { kid } = await this.signingKey();
    const cached = this.tokens.get(recipientCode);
    if (cached && cached.kid === kid && cached.reuseUntil > now) return cached.token;
    const lifetimeMs = this.options.tokenLifetimeSeconds * 1000;
    const reuseMs = Math.min(TOKEN_REUSE_MS, lifetimeMs - EXPIRY_MARGIN_S * 1000);
    const token = this.sign(recipientCode);
    if (reuseMs > 0) {
      this.tokens.set(recipientCode, { token, kid, reuseUntil: now + reuseMs });
      token.catch(() => this.tokens.delete(recipientCode));
      if (this.tokens.size > 10_000) this.tokens.delete(this.tokens.keys().next().value as string);
    }
    return token;
  }

  /** A compact RS256 JWS of the HCX instance (the gateway's own notifications); kid in the header, verifiable with the JWKS. */
  async signJws(protectedHeader: Record<string, unknown>, payload: Uint8Array): Promise<string> {
    const { kid, privateKey } = await this.signingKey();
    return new CompactSign(payload).setProtectedHeader({ ...protectedHeader, alg: 'RS256', kid }).sign(privateKey);
  }

  async jwks(): Promise<{ keys: JWK[] }> {
    if (this.configured) return { keys: [this.configured.jwk] };
    const rows = await this.repository.list();
    return { keys: rows.map((row) => row.publicJwk as JWK) };
  }

  async rotate(): Promise<string> {
    if (this.configured) throw new HcxError('ERR_SIGNING_KEY_CONFIGURED', 'the signing key comes from HCX_SIGNING_KEY_FILE; rotate it there');
    const next = await generateEncryptedKey(this.keys);
    await this.repository.rotate(next);
    this.active = undefined;
    this.tokens.clear();
    return next.kid;
  }

  private async signingKey(): Promise<{ kid: string; privateKey: KeyObject }> {
    if (this.configured) return this.configured;
    if (!this.active || this.clock.now().getTime() - this.active.loadedAt > REFRESH_MS) {
      // One refresh at a time: every delivery arriving while it runs waits for the same read.
      this.loading ??= this.loadActive().finally(() => (this.loading = undefined));
      await this.loading;
    }
    return this.active as ActiveKey;
  }

  private async loadActive(): Promise<void> {
    // The refresh only looks: generating an RSA key blocks the event loop for a long while, so a
    // candidate is made only when there is no active key at all (first start).
    const current = (await this.repository.list()).find((row) => row.active);
    if (current && this.active?.kid === current.kid) {
      this.active.loadedAt = this.clock.now().getTime();
      return;
    }
    const row = current ?? (await this.insertFirstKey());
    const pem = this.keys.decrypt(row.privateKeyCiphertext, signingKeyContext(row.kid));
    this.active = { kid: row.kid, privateKey: createPrivateKey({ key: pem, format: 'pem' }), loadedAt: this.clock.now().getTime() };
  }

  private async insertFirstKey() {
    const candidate = await generateEncryptedKey(this.keys);
    return this.repository.activeOrInsert(() => candidate);
  }
}

async function generateEncryptedKey(keys: KeyEncryption): Promise<{ kid: string; publicJwk: Record<string, unknown>; privateKeyCiphertext: string; kekId: string }> {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  const sealed = keys.encrypt(privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, signingKeyContext(kid));
  return { kid, publicJwk: { ...jwk, kid, alg: 'RS256', use: 'sig' }, privateKeyCiphertext: sealed.ciphertext, kekId: sealed.kid };
}
