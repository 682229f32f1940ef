import { constants, randomUUID, sign } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import type { AuthServiceConfig } from '../config';
import type { KeyRing, SigningKey } from '../crypto/signing-keys';
import { KEY_RING } from '../tokens';

export interface IssuedAccessToken {
  token: string;
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
}

/**
 * RFC 9068 JWT access tokens: `typ: at+jwt`, asymmetric signature, `kid` of the active key.
 *
 * Signed with node:crypto's one-shot `sign` (RFC 7515 compact serialisation, RFC 7518 section 3.4
 * R||S signature for ES256, RSASSA-PSS with a 32-byte salt for PS256) rather than jose's SignJWT:
 * jose signs through WebCrypto, whose jobs run on the libuv pool, so every grant queued its
 * ~50 us signature behind the argon2id verifications (each ~10 ms of a pool thread) of concurrent
 * password grants, and paid a pool round trip and several promises on the refresh path. The output
 * is the same JWS; the specs verify it with jose.
 */
@Injectable()
export class AccessTokenIssuer {
  private readonly encodedHeader: string;
  private readonly payloadStatic: { iss: string; aud: string };

  constructor(
    @Inject(KEY_RING) private readonly keys: KeyRing,
    @Inject(SERVICE_CONFIG) private readonly config: AuthServiceConfig,
  ) {
    const { active } = keys;
    this.encodedHeader = base64url(JSON.stringify({ alg: active.alg, typ: 'at+jwt', kid: active.kid }));
    this.payloadStatic = { iss: config.AUTH_ISSUER, aud: config.AUTH_AUDIENCE };
  }

  async issue(input: { clientId: string; subject: string; scope: string; now: Date; ttlSeconds: number }): Promise<IssuedAccessToken> {
    const jti = randomUUID();
    const iat = Math.floor(input.now.getTime() / 1000);
    const exp = iat + input.ttlSeconds;
    // RFC 9068 section 2.2: iss, exp, aud, sub, client_id, iat, jti are required; scope when granted.
    const payload = { client_id: input.clientId, scope: input.scope, ...this.payloadStatic, sub: input.subject, iat, exp, jti };
    const signingInput = `${this.encodedHeader}.${base64url(JSON.stringify(payload))}`;
    const token = `${signingInput}.${signature(this.keys.active, signingInput)}`;
    return { token, jti, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) };
  }
}

function base64url(text: string): string {
  return Buffer.from(text, 'utf8').toString('base64url');
}

function signature(key: SigningKey, signingInput: string): string {
  const data = Buffer.from(signingInput, 'ascii');
  const bytes =
    key.alg === 'ES256'
      ? sign('sha256', data, { key: key.privateKey, dsaEncoding: 'ieee-p1363' })
      : sign('sha256', data, { key: key.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 });
  return bytes.toString('base64url');
}
