/**
 * An NPI member as the operator sets one up, over HTTP only: its OAuth client and user at
 * auth-service, then its member record with its certificate, a whitelisted debtor account (with its
 * Debit Authorization Letter) and a debit cap at payment-service. The member keeps its PFX in `dir`.
 * Tests that speak as a member (NCHL wire format, the member journey) build theirs with it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { eventually } from './eventually';
import { createOAuthClientWithUser, LOOPBACK_CIDRS } from './oauth-client';

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

/** `POST /oauth/token` with a form body and HTTP Basic client authentication; the answer as it came. */
export async function tokenEndpoint(authUrl: string, client: OAuthClientCredentials, form: Record<string, string>): Promise<{ status: number; body: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${authUrl}/oauth/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${client.clientId}:${client.clientSecret}`).toString('base64')}` },
    body: new URLSearchParams(form).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
}

/** The password grant's access token (NCHL section 5.1 step 1); anything but 200 throws with the answer. */
export async function passwordGrantToken(authUrl: string, client: OAuthClientCredentials, username: string, password: string): Promise<string> {
  const { status, body } = await tokenEndpoint(authUrl, client, { grant_type: 'password', username, password });
  if (status !== 200 || typeof body.access_token !== 'string') throw new Error(`token endpoint answered ${status}: ${JSON.stringify(body)}`);
  return body.access_token;
}

async function send(base: string, method: string, pathname: string, token: string, body: unknown): Promise<{ status: number; body: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
  const response = await fetch(`${base}${pathname}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : {} };
}

function expectStatus(answer: { status: number; body: unknown }, status: number, what: string): void {
  if (answer.status !== status) throw new Error(`${what} answered ${answer.status} (expected ${status}): ${JSON.stringify(answer.body)}`);
}

export interface NpiMemberSetup {
  /** auth-service, with the operator's admin client and user. */
  auth: { url: string; admin: OAuthClientCredentials & { username: string; password: string } };
  /** payment-service and its admin token. */
  payment: { url: string; adminToken: string };
  /** Where the member's PFX is written. */
  dir: string;
  /** Member code (also the certificate's common name); the OAuth client is `<clientPrefix>-<code in lower case>`. */
  code: string;
  clientPrefix: string;
  name: string;
  debtorAccount: string;
  /** The whitelisted account's name and its letter. */
  accountName: string;
  letterNumber: string;
  letterDocumentHash: string;
  capAmount: string;
}

export interface NpiMember {
  code: string;
  clientId: string;
  clientSecret: string;
  /** NCHL's userId: the OAuth username, `<code>@999`. */
  username: string;
  password: string;
  debtorAccount: string;
  pfxFile: string;
  passphrase: string;
  certificatePem: string;
}

/**
 * Registers the member at both services. The member's debtor account is at bank 2501 branch 1, the
 * cap at bank 2501; the client may call from loopback only.
 */
export async function registerNpiMember(setup: NpiMemberSetup): Promise<NpiMember> {
  const { auth, payment } = setup;
  // auth-service side: the admin token as soon as auth-service answers, the member's client and user.
  const adminToken = await eventually(() => passwordGrantToken(auth.url, auth.admin, auth.admin.username, auth.admin.password), { timeoutMs: 30_000 });
  const username = `${setup.code}@999`;
  const client = await eventually(
    () => createOAuthClientWithUser(auth.url, adminToken, { clientId: `${setup.clientPrefix}-${setup.code.toLowerCase()}`, allowedCidrs: LOOPBACK_CIDRS, memberCode: setup.code, username }),
    { timeoutMs: 30_000 },
  );

  // NCHL issues the member's certificate for its key; the member keeps the PFX.
  // Loaded here, not at the top: most users of @npi/testing never need the certificate tooling.
  const { generateMemberCredentials } = await import('@npi/signature-token');
  const passphrase = randomBytes(12).toString('base64url');
  const credentials = generateMemberCredentials({ commonName: setup.code, passphrase, days: 365 });
  const pfxFile = path.join(setup.dir, `${setup.code}.pfx`);
  fs.writeFileSync(pfxFile, credentials.pfx, { mode: 0o600 });

  // payment-service side: member, certificate, whitelisted account (Debit Authorization Letter), cap.
  const operator = payment.adminToken;
  expectStatus(
    await send(payment.url, 'POST', '/admin/members', operator, { code: setup.code, name: setup.name, kind: 'NON_BANK', oauthClientId: client.clientId, userId: username, certificatePem: credentials.certificatePem }),
    200,
    'POST /admin/members',
  );
  expectStatus(
    await send(payment.url, 'POST', `/admin/members/${setup.code}/whitelist`, operator, {
      bankId: '2501', branchId: '1', accountId: setup.debtorAccount, accountName: setup.accountName, letterNumber: setup.letterNumber, letterDate: '2026-11-01',
      letterIssuingBank: 'Himalayan Bank Limited', letterDocumentHash: setup.letterDocumentHash, effectiveFrom: '2026-01-01T00:00:00Z', recordedBy: 'nchl-ops',
    }),
    201,
    'POST /admin/members/{code}/whitelist',
  );
  expectStatus(await send(payment.url, 'PUT', `/admin/members/${setup.code}/debit-caps`, operator, { bankId: '2501', capAmount: setup.capAmount, updatedBy: 'nchl-ops' }), 200, 'PUT /admin/members/{code}/debit-caps');

  return {
    code: setup.code,
    clientId: client.clientId,
    clientSecret: client.clientSecret,
    username,
    password: client.password,
    debtorAccount: setup.debtorAccount,
    pfxFile,
    passphrase,
    certificatePem: credentials.certificatePem,
  };
}
