import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import type { Request } from 'express';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import { AccessTokenRejectedError } from '../domain/errors';
import type { PaymentServiceConfig } from '../config';

/** The operator's admin API: `Authorization: Bearer <PAYMENT_ADMIN_TOKEN>`, compared in constant time. */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;

  constructor(@Inject(SERVICE_CONFIG) config: PaymentServiceConfig) {
    this.expected = createHash('sha256').update(config.PAYMENT_ADMIN_TOKEN).digest();
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    // Hash both sides: equal lengths for timingSafeEqual, and no length leak.
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    if (!match || !timingSafeEqual(given, this.expected)) throw new AccessTokenRejectedError('admin token required');
    return true;
  }
}
