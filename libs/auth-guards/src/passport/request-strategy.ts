import passport from 'passport';
import type { Request } from 'express';
import { authGuardStatusOf } from '../errors';
import type { AuthGuardError } from '../errors';

/** What the route asks of the strategy (the guard passes it as passport's authenticate options). */
export interface RouteRequirements {
  /** Scopes an NPI member access token must carry (`@RequireScopes`, `@NpiMember(...scopes)`). */
  scopes?: readonly string[];
}

export type VerifyRequest = (request: Request, requirements: RouteRequirements, done: (error: unknown, principal?: unknown) => void) => void;

let instances = 0;

/**
 * The passport strategy shape every credential of the platform shares: everything the check needs
 * is in the request, no redirect, no session. A domain error of the check ends the request
 * (passport `error`, so the protocol filter maps its code); `RefusedCredential` lets passport try
 * the next strategy of a chain (`fail`) and becomes the refusal if none succeeds.
 *
 * Each instance registers under its own name (`<kind>#<n>`): passport's registry is one per process,
 * and the standalone mode runs four services, each with its own settings and caches, in one process.
 */
export class RequestStrategy extends passport.Strategy {
  override readonly name: string;

  constructor(
    kind: string,
    private readonly check: VerifyRequest,
  ) {
    super();
    instances += 1;
    this.name = `${kind}#${instances}`;
  }

  override authenticate(request: Request, requirements?: RouteRequirements): void {
    this.check(request, requirements ?? {}, (error, principal) => {
      if (error instanceof RefusedCredential) return this.fail(error.reason, authGuardStatusOf(error.reason));
      if (error) return this.error(error as Error);
      if (!principal) return this.fail(401);
      return this.success(principal as Express.User);
    });
  }
}

/** Thrown by a strategy's `validate` when the credential is not this strategy's (a chain may go on). */
export class RefusedCredential extends Error {
  constructor(readonly reason: AuthGuardError) {
    super(reason.message);
    this.name = 'RefusedCredential';
  }
}
