import { Inject, Injectable, Optional } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { isOriginAllowed } from '../checks/origin';
import { OriginNotAllowedError } from '../errors';
import { ALLOWED_ORIGINS_PROVIDER } from './tokens';

/** Supplies the origins a request may come from (e.g. the participant's registered origins). */
export interface AllowedOriginsProvider {
  allowedOriginsFor(request: Request): readonly string[] | Promise<readonly string[]>;
}

/**
 * Seed 000: calls from the NPI Billers page are refused unless their `Origin` is exactly one of the
 * allowed origins (scheme, host and port). A missing Origin header is refused too.
 * Bind your provider with `{ provide: ALLOWED_ORIGINS_PROVIDER, useClass: ... }` in your module.
 */
@Injectable()
export class OriginGuard implements CanActivate {
  constructor(@Optional() @Inject(ALLOWED_ORIGINS_PROVIDER) private readonly provider?: AllowedOriginsProvider) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (!this.provider) throw new TypeError('OriginGuard needs an ALLOWED_ORIGINS_PROVIDER');
    const request = context.switchToHttp().getRequest<Request>();
    const origin = request.headers.origin;
    const allowed = await this.provider.allowedOriginsFor(request);
    if (!isOriginAllowed(typeof origin === 'string' ? origin : undefined, allowed)) throw new OriginNotAllowedError();
    return true;
  }
}
