import type { AccessTokenPrincipal } from '../checks/access-token';

/** Where the guards leave what they established on the request (not enumerable, not serialised). */
const PRINCIPAL = Symbol.for('npi.auth-guards.principal');
const CLIENT_IP = Symbol.for('npi.auth-guards.client-ip');

type Carrier = Record<symbol, unknown>;

export function setPrincipal(request: object, principal: object): void {
  (request as Carrier)[PRINCIPAL] = principal;
}

/** The principal the route's guard established for this request, if it ran and passed (an access token's by default). */
export function principalOf<P extends object = AccessTokenPrincipal>(request: object): P | undefined {
  return (request as Carrier)[PRINCIPAL] as P | undefined;
}

export function setClientIp(request: object, ip: string | undefined): void {
  (request as Carrier)[CLIENT_IP] = ip;
}

/** The source address the NPI member strategy resolved (after trusted-proxy X-Forwarded-For handling). */
export function clientIpOf(request: object): string | undefined {
  return (request as Carrier)[CLIENT_IP] as string | undefined;
}
