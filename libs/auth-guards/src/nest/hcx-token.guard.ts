import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { HcxTokenError } from '../checks/hcx-token';
import type { HcxTokenClaims, HcxTokenVerifier } from '../checks/hcx-token';

/** Provide a verifier made by createHcxTokenVerifier() under this token. */
export const HCX_TOKEN_VERIFIER = Symbol.for('hcx.participant.HcxTokenVerifier');

const CLAIMS = Symbol.for('hcx.participant.claims');
export function hcxClaimsOf(request: Request): HcxTokenClaims | undefined {
  return (request as unknown as Record<symbol, HcxTokenClaims>)[CLAIMS];
}

/**
 * Nest guard for a participant system's HCX endpoints: only calls that carry a valid RS256 token of
 * the configured HCX instance get through (401 with the HcxTokenError code otherwise).
 */
@Injectable()
export class HcxTokenGuard implements CanActivate {
  constructor(@Inject(HCX_TOKEN_VERIFIER) private readonly verify: HcxTokenVerifier) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<Request>();
    try {
      (request as unknown as Record<symbol, HcxTokenClaims>)[CLAIMS] = await this.verify(request.headers.authorization);
      return true;
    } catch (error) {
      if (error instanceof HcxTokenError) throw new UnauthorizedException({ error: { code: error.code, message: error.message } });
      throw error;
    }
  }
}
