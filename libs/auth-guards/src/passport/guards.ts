import { Injectable } from '@nestjs/common';
import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import type { IAuthModuleOptions } from '@nestjs/passport';
import { RoleNotAllowedError, TokenMissingError } from '../errors';
import { principalOf, setPrincipal } from '../nest/request-state';
import { HcxApiKeyStrategy } from './hcx-api-key.strategy';
import { HcxGatewayTokenStrategy } from './hcx-gateway-token.strategy';
import { NpiMemberStrategy } from './npi-member.strategy';
import { OperatorTokenStrategy } from './operator.strategy';
import { AUTH_POLICY, IS_PUBLIC, REQUIRED_SCOPES } from './policy';
import type { AuthPolicy } from './policy';
import type { RouteRequirements } from './request-strategy';

/** Which guard class authenticated the request (so a second run of it does not verify again). */
const AUTHENTICATED_BY = Symbol.for('npi.auth-guards.authenticated-by');

/**
 * What every guard of this lib shares: `@Public()` and a route whose own policy belongs to another
 * guard let it pass (the route's decorator applied that other guard); otherwise passport runs the
 * strategies, and a refusal is the strategy's domain error (never a bare 401), so each protocol's
 * filter renders it. The principal lands on `request.user` and behind `principalOf(request)`.
 */
abstract class PassportPolicyGuard extends AuthGuard() {
  constructor(
    protected readonly reflector: Reflector,
    strategies: string | string[],
    private readonly policies: readonly AuthPolicy[],
  ) {
    super({ defaultStrategy: strategies, session: false, property: 'user' } satisfies IAuthModuleOptions);
  }

  protected policyOf(context: ExecutionContext): AuthPolicy | undefined {
    return this.reflector.getAllAndOverride<AuthPolicy | undefined>(AUTH_POLICY, [context.getHandler(), context.getClass()]);
  }

  override async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC, targets)) return true;
    const policy = this.policyOf(context);
    if (policy !== undefined && !this.policies.includes(policy)) return true;
    // A controller default and a route decorator of the same guard: authenticate once, authorize again.
    const request = context.switchToHttp().getRequest<Record<symbol, unknown>>();
    const earlier = request[AUTHENTICATED_BY] === this.constructor ? principalOf(request) : undefined;
    if (earlier) {
      this.authorize(earlier, context);
      return true;
    }
    const allowed = (await super.canActivate(context)) as boolean;
    request[AUTHENTICATED_BY] = this.constructor;
    return allowed;
  }

  override getAuthenticateOptions(context: ExecutionContext): IAuthModuleOptions & RouteRequirements {
    return { scopes: this.reflector.getAllAndOverride<string[] | undefined>(REQUIRED_SCOPES, [context.getHandler(), context.getClass()]) ?? [] };
  }

  override handleRequest<TUser = unknown>(error: unknown, user: unknown, info: unknown, context: ExecutionContext): TUser {
    if (error) throw error;
    if (!user) throw refusalOf(info);
    this.authorize(user, context);
    setPrincipal(context.switchToHttp().getRequest<object>(), user as never);
    return user as TUser;
  }

  /** After authentication: may this principal use this route? (Every principal of a single-kind guard may.) */
  protected authorize(_principal: unknown, _context: ExecutionContext): void {
    return undefined;
  }
}

/** The refusal a failing strategy gave (the first one of a chain), else a missing token. */
function refusalOf(info: unknown): Error {
  const candidates = Array.isArray(info) ? info : [info];
  return (candidates.find((candidate) => candidate instanceof Error) as Error | undefined) ?? new TokenMissingError();
}

/** `@NpiMember()`: NPI member access token + revocation + scopes + source IP allowlist. */
@Injectable()
export class NpiMemberGuard extends PassportPolicyGuard {
  constructor(reflector: Reflector, strategy: NpiMemberStrategy) {
    super(reflector, strategy.name, ['npi-member']);
  }
}

/** `@Operator()`: the service's operator (admin) token. */
@Injectable()
export class OperatorGuard extends PassportPolicyGuard {
  constructor(reflector: Reflector, strategy: OperatorTokenStrategy) {
    super(reflector, strategy.name, ['operator']);
  }
}

/**
 * hcx-gateway's callers: the operator token or a participant API key, tried in that order; then the
 * route's policy decides. An authenticated caller of the wrong kind is ERR_ROLE_NOT_ALLOWED (403):
 * the operator token on a participant's protocol call, a participant key on an operator route.
 */
@Injectable()
export class HcxAccessGuard extends PassportPolicyGuard {
  constructor(reflector: Reflector, operator: OperatorTokenStrategy, apiKey: HcxApiKeyStrategy) {
    super(reflector, [operator.name, apiKey.name], ['hcx-participant', 'hcx-operator', 'hcx-participant-or-operator']);
  }

  protected override authorize(principal: unknown, context: ExecutionContext): void {
    const kind = (principal as { kind?: string }).kind;
    const policy = this.policyOf(context) ?? 'hcx-participant';
    if (policy === 'hcx-participant' && kind !== 'participant') throw new RoleNotAllowedError('participant API key required');
    if (policy === 'hcx-operator' && kind !== 'operator') throw new RoleNotAllowedError('admin token required');
  }
}

/** `@FromHcxGateway()`: in a participant system, the HCX instance's RS256 token. */
@Injectable()
export class HcxGatewayTokenGuard extends PassportPolicyGuard {
  constructor(reflector: Reflector, strategy: HcxGatewayTokenStrategy) {
    super(reflector, strategy.name, ['hcx-gateway']);
  }
}
