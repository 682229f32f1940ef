import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import passport from 'passport';
import { HcxTokenError } from '../checks/hcx-token';
import type { HcxTokenClaims, HcxTokenVerifier } from '../checks/hcx-token';
import { HCX_TOKEN_VERIFIER } from '../nest/tokens';
import { RequestStrategy } from './request-strategy';


/**
 * A participant system's side of seed 002 "Securing Participant System APIs": the call carries the
 * HCX instance's RS256 token. Refusals are 401 `{error: {code, message}}` with the HcxTokenError
 * code, an answer any Nest app renders without a filter of its own.
 */
@Injectable()
export class HcxGatewayTokenStrategy extends PassportStrategy(RequestStrategy) implements OnModuleDestroy {
  constructor(@Inject(HCX_TOKEN_VERIFIER) private readonly verify: HcxTokenVerifier) {
    super('hcx-gateway-token');
  }

  async validate(request: Request): Promise<HcxTokenClaims> {
    try {
      return await this.verify(request.headers.authorization);
    } catch (error) {
      if (error instanceof HcxTokenError) throw new UnauthorizedException({ error: { code: error.code, message: error.message } });
      throw error;
    }
  }

  onModuleDestroy(): void {
    passport.unuse(this.name);
  }
}
