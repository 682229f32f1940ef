import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, SetMetadata } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import { accessDenied } from '../errors';
import { API_KEY_VERIFIER } from '../tokens';
import type { ApiKeyPrincipal, ApiKeyVerifier } from './api-key-verifier';

export type HcxPrincipal = { kind: 'admin' } | ({ kind: 'participant' } & ApiKeyPrincipal);
export type Audience = 'admin' | 'participant' | 'admin-or-participant';

const AUDIENCE = 'hcx.audience';
/** Who may call a route: the admin token, a participant API key, or either. */
export const Allow = (audience: Audience) => SetMetadata(AUDIENCE, audience);

const PRINCIPAL = Symbol.for('hcx.principal');
export function principalOf(request: Request): HcxPrincipal {
  return (request as unknown as Record<symbol, HcxPrincipal>)[PRINCIPAL];
}

/**
 * Every protocol and registry call needs `Authorization: Bearer ...` (seed 002). The admin token from
 * configuration is compared in constant time (over SHA-256 digests, so length leaks nothing); any
 * other bearer must be a valid API key of an Active participant.
 */
@Injectable()
export class HcxAuthGuard implements CanActivate {
  private readonly adminDigest: Buffer;

  constructor(
    private readonly reflector: Reflector,
    @Inject(API_KEY_VERIFIER) private readonly verifier: ApiKeyVerifier,
    @Inject(SERVICE_CONFIG) config: HcxGatewayConfig,
  ) {
    this.adminDigest = createHash('sha256').update(config.HCX_ADMIN_TOKEN).digest();
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const audience = this.reflector.getAllAndOverride<Audience | undefined>(AUDIENCE, [context.getHandler(), context.getClass()]) ?? 'participant';
    const request = context.switchToHttp().getRequest<Request>();
    const authorization = request.headers.authorization;
    const bearer = /^Bearer ([^\s]+)$/i.exec(authorization?.trim() ?? '')?.[1];
    if (!bearer) throw accessDenied('missing bearer token');
    let principal: HcxPrincipal;
    if (timingSafeEqual(createHash('sha256').update(bearer).digest(), this.adminDigest)) {
      principal = { kind: 'admin' };
    } else {
      principal = { kind: 'participant', ...(await this.verifier.verify(bearer)) };
    }
    if (audience === 'admin' && principal.kind !== 'admin') throw accessDenied('admin token required', 403);
    if (audience === 'participant' && principal.kind !== 'participant') throw accessDenied('participant API key required', 403);
    (request as unknown as Record<symbol, HcxPrincipal>)[PRINCIPAL] = principal;
    return true;
  }
}
