/**
 * An OAuth client and one user of it, created as the operator creates them: over auth-service's
 * admin API with the admin's bearer token. Any other status than 201 throws with the answer, so a
 * test that needs the client never runs on without one.
 */
import { randomBytes } from 'node:crypto';

export interface OAuthClientWithUserSetup {
  /** Default: `client-<random>` (tests share one database). */
  clientId?: string;
  /** Default: loopback only, where every test calls from. */
  allowedCidrs?: string[];
  /** The NCHL member the client speaks for, if any. */
  memberCode?: string;
  /** Default: `user-<random>`. */
  username?: string;
  /** Chosen at creation; default: the one auth-service generates and shows once. */
  password?: string;
}

export interface OAuthClientWithUser {
  clientId: string;
  clientSecret: string;
  username: string;
  password: string;
}

export const LOOPBACK_CIDRS = ['127.0.0.1/32', '::1/128'];

async function post(url: string, adminToken: string, body: unknown): Promise<{ status: number; body: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(url, { method: 'POST', headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

/** `POST /admin/clients` then `POST /admin/clients/{clientId}/users`; the secrets shown once. */
export async function createOAuthClientWithUser(authUrl: string, adminToken: string, setup: OAuthClientWithUserSetup = {}): Promise<OAuthClientWithUser> {
  const clientId = setup.clientId ?? `client-${randomBytes(5).toString('hex')}`;
  const client = await post(`${authUrl}/admin/clients`, adminToken, {
    clientId,
    allowedCidrs: setup.allowedCidrs ?? LOOPBACK_CIDRS,
    ...(setup.memberCode === undefined ? {} : { memberCode: setup.memberCode }),
  });
  if (client.status !== 201) throw new Error(`POST /admin/clients answered ${client.status} (expected 201): ${JSON.stringify(client.body)}`);
  const username = setup.username ?? `user-${randomBytes(5).toString('hex')}`;
  const user = await post(`${authUrl}/admin/clients/${encodeURIComponent(clientId)}/users`, adminToken, { username, ...(setup.password === undefined ? {} : { password: setup.password }) });
  if (user.status !== 201) throw new Error(`POST /admin/clients/{clientId}/users answered ${user.status} (expected 201): ${JSON.stringify(user.body)}`);
  return { clientId: client.body.clientId as string, clientSecret: client.body.clientSecret as string, username, password: (setup.password ?? user.body.password) as string };
}
