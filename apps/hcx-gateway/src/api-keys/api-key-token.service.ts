import { randomUUID, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { SignJWT } from 'jose';
import { PARTICIPANT_REPOSITORY } from '@npi/hcx/data-access';
import type { ParticipantRepository } from '@npi/hcx/data-access';
import { CLOCK, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import { KEY_ENCRYPTION } from '../tokens';
import { clientSecretContext } from '../crypto/key-encryption';
import type { KeyEncryption } from '../crypto/key-encryption';
import { hmacKeyOf } from '../crypto/client-secret';
import { accessDenied, forbidden } from '../errors';

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
}

// Compared against when the client id is unknown, so both failures take the same path and time.
const DUMMY_SECRET = Buffer.alloc(43, 'x');

/** `/token/generate` (seed 002): client_id + client_secret in, an HS256 API key with mandatory exp out. */
@Injectable()
export class ApiKeyTokenService {
  constructor(
    @Inject(PARTICIPANT_REPOSITORY) private readonly participants: ParticipantRepository,
    @Inject(KEY_ENCRYPTION) private readonly keys: KeyEncryption,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: Pick<HcxGatewayConfig, 'HCX_INSTANCE_ID' | 'HCX_API_KEY_TTL_SECONDS'>,
  ) {}

  /** Rate limits are the route's (`tokenRateLimits`, RateLimitGuard): every call here is counted already. */
  async generate(clientId: string, clientSecret: string): Promise<TokenResponse> {
    const record = await this.participants.find(clientId);
    const stored = record ? this.keys.decrypt(record.secretCiphertext, clientSecretContext(record.participantCode)) : DUMMY_SECRET;
    const presented = Buffer.from(clientSecret, 'utf8');
    const matches = presented.length === stored.length ? timingSafeEqual(presented, stored) : timingSafeEqual(stored, stored) && false;
    // One answer for an unknown client and a wrong secret: the caller learns nothing about which.
    if (!record || !matches) throw accessDenied('invalid client credentials');
    if (record.status !== 'Active') throw forbidden('participant is not active');

    const issuedAt = Math.floor(this.clock.now().getTime() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setJti(randomUUID())
      .setIssuer(this.config.HCX_INSTANCE_ID)
      .setSubject(record.participantCode)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + this.config.HCX_API_KEY_TTL_SECONDS)
      .sign(hmacKeyOf(stored));
    return { access_token: token, token_type: 'Bearer', expires_in: this.config.HCX_API_KEY_TTL_SECONDS };
  }
}
