import { createHash, timingSafeEqual } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type { Request } from 'express';
import passport from 'passport';
import { OperatorTokenRequiredError } from '../errors';
import { OPERATOR_AUTH_OPTIONS } from '../nest/tokens';
import { RefusedCredential, RequestStrategy } from './request-strategy';

export interface OperatorAuthOptions {
  /** The service's operator (admin) token, from its own setting (PAYMENT_ADMIN_TOKEN, SESSION_ADMIN_TOKEN, HCX_ADMIN_TOKEN). */
  token: string;
}


/** Who the operator token speaks for: the platform operator, nobody in particular. */
export interface OperatorPrincipal {
  kind: 'operator';
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest();

/**
 * The operator's admin APIs: `Authorization: Bearer <the service's operator token>`, compared in
 * constant time over SHA-256 digests (equal lengths for timingSafeEqual, and no length leak).
 * A mismatch is a passport `fail`, so in a chain (hcx-gateway: operator or participant API key)
 * the next strategy gets the credential.
 */
@Injectable()
export class OperatorTokenStrategy extends PassportStrategy(RequestStrategy) implements OnModuleDestroy {
  private readonly expected: Buffer;
  /**
   * The one refusal of this strategy, built once: in hcx-gateway's chain every participant call is
   * first refused here, and building two Errors (with their stack traces) per call was a visible
   * share of the gateway's CPU. It is never mutated and carries nothing of the request.
   */
  private readonly refusal = new RefusedCredential(new OperatorTokenRequiredError());

  constructor(@Inject(OPERATOR_AUTH_OPTIONS) options: OperatorAuthOptions) {
    super('operator');
    // Fail closed at start: an empty token would otherwise match `Bearer ` followed by nothing.
    if (typeof options.token !== 'string' || options.token.length === 0) throw new TypeError('OperatorAuthModule needs a non-empty operator token');
    this.expected = digest(options.token);
  }

  validate(request: Request): OperatorPrincipal {
    const match = /^Bearer ([\x21-\x7e]+)$/i.exec((request.headers.authorization ?? '').trim());
    const given = digest(match?.[1] ?? '');
    const equal = timingSafeEqual(given, this.expected);
    if (!match || !equal) throw this.refusal;
    return { kind: 'operator' };
  }

  onModuleDestroy(): void {
    passport.unuse(this.name);
  }
}
