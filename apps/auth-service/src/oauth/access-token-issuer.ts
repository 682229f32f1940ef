import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import type { AuthServiceConfig } from '../config';
import type { KeyRing } from '../crypto/signing-keys';
import { KEY_RING } from '../tokens';

export interface IssuedAccessToken {
  token: string;
  jti: string;
  issuedAt: Date;
  expiresAt: Date;
}

/** RFC 9068 JWT access tokens: `typ: at+jwt`, asymmetric signature, `kid` of the active key. */
@Injectable()
export class AccessTokenIssuer {
  constructor(
    @Inject(KEY_RING) private readonly keys: KeyRing,
    @Inject(SERVICE_CONFIG) private readonly config: AuthServiceConfig,
  ) {}

  async issue(input: { clientId: string; subject: string; scope: string; now: Date; ttlSeconds: number }): Promise<IssuedAccessToken> {
    const jti = randomUUID();
    const iat = Math.floor(input.now.getTime() / 1000);
    const exp = iat + input.ttlSeconds;
    const { active } = this.keys;
    // RFC 9068 section 2.2: iss, exp, aud, sub, client_id, iat, jti are required; scope when granted.
    const token = await new SignJWT({ client_id: input.clientId, scope: input.scope })
      .setProtectedHeader({ alg: active.alg, typ: 'at+jwt', kid: active.kid })
      .setIssuer(this.config.AUTH_ISSUER)
      .setSubject(input.subject)
      .setAudience(this.config.AUTH_AUDIENCE)
      .setIssuedAt(iat)
      .setExpirationTime(exp)
      .setJti(jti)
      .sign(active.privateKey);
    return { token, jti, issuedAt: new Date(iat * 1000), expiresAt: new Date(exp * 1000) };
  }
}
