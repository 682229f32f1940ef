import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import passport from 'passport';
import { HCX_API_KEY_VERIFIER } from '../nest/tokens';
import { RequestStrategy } from './request-strategy';

/**
 * The HCX API-key check, provided by hcx-gateway (it needs the gateway's participant cache and
 * trusted issuers, which a shared lib may not import). It throws the gateway's own domain error
 * (ERR_ACCESS_DENIED), which the gateway's filter renders as an HCX ErrorResponse.
 */
export interface HcxApiKeyVerifierPort<P extends { participantCode: string } = { participantCode: string }> {
  verifyAuthorization(authorization: string | undefined): Promise<P>;
}


export type HcxParticipantPrincipal<P extends { participantCode: string } = { participantCode: string }> = { kind: 'participant' } & P;

/** Seed 002: `Authorization: Bearer <API key>` of an Active participant (`/token/generate` or a trusted external issuer). */
@Injectable()
export class HcxApiKeyStrategy extends PassportStrategy(RequestStrategy) implements OnModuleDestroy {
  constructor(@Inject(HCX_API_KEY_VERIFIER) private readonly verifier: HcxApiKeyVerifierPort) {
    super('hcx-api-key');
  }

  async validate(request: Request): Promise<HcxParticipantPrincipal> {
    return { kind: 'participant', ...(await this.verifier.verifyAuthorization(request.headers.authorization)) };
  }

  onModuleDestroy(): void {
    passport.unuse(this.name);
  }
}
