/**
 * Test harness for payment-service: starts it against the real PostgreSQL and Kafka of the e2e
 * global setup with a fresh NPI signing PFX, issues RFC 9068 access tokens from a local JWKS (until
 * a test starts auth-service itself), feeds client allowlists through `auth.client.updated.v1`,
 * and registers members the way the admin API does.
 */
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { randomBytes, randomUUID, sign as cryptoSign, constants } from 'node:crypto';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import type { CryptoKey, JWK } from 'jose';
import { loadConfig } from '@npi/config';
import { AuthClientUpdatedV1 } from '@npi/kafka-contracts';
import { publishEvent } from '@npi/messaging';
import { DEBIT_CAP_REPOSITORY, MEMBER_REPOSITORY, WHITELIST_REPOSITORY } from '@npi/payment/data-access';
import type { DebitCapRepository, Member, MemberRepository, WhitelistRepository } from '@npi/payment/data-access';
import { startService } from '@npi/service-runtime';
import type { Clock, RunningService } from '@npi/service-runtime';
import { generateMemberCredentials } from '@npi/signature-token';
import { nchlRealTimeBatch, testEnvironment } from '@npi/testing';
import { paymentConfigSchema } from '../../src/config';
import type { PaymentServiceConfig } from '../../src/config';
import { paymentServiceDefinition } from '../../src/service';

export const AUDIENCE = 'npi';

export interface LocalIssuer {
  issuer: string;
  jwksUrl: string;
  issue(input: { clientId: string; username: string; scope?: string }): Promise<string>;
  close(): Promise<void>;
}

/** A stand-in for auth-service's token endpoint and JWKS: ES256 `at+jwt` access tokens. */
export async function startLocalIssuer(): Promise<LocalIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('ES256');
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const server: Server = createServer((request, response) => {
    response.setHeader('content-type', 'application/json');
    response.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const issuer = `http://127.0.0.1:${port}`;
  return {
    issuer,
    jwksUrl: `${issuer}/.well-known/jwks.json`,
    issue: ({ clientId, username, scope = 'read write trust' }) =>
      new SignJWT({ client_id: clientId, scope })
        .setProtectedHeader({ alg: 'ES256', typ: 'at+jwt', kid })
        .setIssuer(issuer)
        .setAudience(AUDIENCE)
        .setSubject(username)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(privateKey as CryptoKey),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface PaymentUnderTest {
  service: RunningService<PaymentServiceConfig>;
  npiCertificatePem: string;
  adminToken: string;
}

export async function startPaymentService(
  auth: { issuer: string; jwksUrl: string },
  options: { clock?: Clock; extraEnv?: Record<string, string> } = {},
): Promise<PaymentUnderTest> {
  const passphrase = randomBytes(18).toString('base64url');
  const npi = generateMemberCredentials({ commonName: 'NPI payment-service (test)', passphrase, days: 30 });
  const adminToken = randomBytes(32).toString('base64url');
  const config = loadConfig(
    'payment-service',
    paymentConfigSchema,
    testEnvironment('payment-service', {
      DATABASE_POOL_SIZE: '10',
      AUTH_ISSUER: auth.issuer,
      AUTH_JWKS_URL: auth.jwksUrl,
      AUTH_AUDIENCE: AUDIENCE,
      NPI_SIGNING_PFX_BASE64: npi.pfx.toString('base64'),
      NPI_SIGNING_PFX_PASSPHRASE: passphrase,
      PAYMENT_ADMIN_TOKEN: adminToken,
      KAFKA_CONSUMER_GROUP_PREFIX: `payment-test-${randomUUID().slice(0, 8)}`,
      SETTLEMENT_AUTO_CREDIT: 'false',
      ...options.extraEnv,
    }),
  );
  const service = await startService(paymentServiceDefinition, config, { port: 0, clock: options.clock });
  return { service, npiCertificatePem: npi.certificatePem, adminToken };
}

/** auth-service's announcement of a client's source CIDRs (what SourceIpGuard learns from). */
export async function announceClient(service: RunningService, clientId: string, allowedCidrs: string[], revision = 1): Promise<void> {
  await publishEvent(service.deps.broker, AuthClientUpdatedV1, { clientId, revision, status: 'ACTIVE', allowedCidrs }, { producer: 'auth-service', key: clientId });
}

export interface TestMember {
  member: Member;
  code: string;
  clientId: string;
  username: string;
  privateKeyPem: string;
  certificatePem: string;
  pfx: Buffer;
  passphrase: string;
  debtorAccount: string;
}

/** A member with a certificate, a whitelisted debtor account at `bankId` and a debit cap there. */
export async function registerMember(
  service: RunningService,
  options: { kind?: 'BANK' | 'NON_BANK'; ownBankId?: string; bankId?: string; branchId?: string; cap?: string; perTransactionLimit?: string; clientId?: string; username?: string } = {},
): Promise<TestMember> {
  const code = `M${randomBytes(4).toString('hex').toUpperCase()}`;
  const clientId = options.clientId ?? `client-${code.toLowerCase()}`;
  const username = options.username ?? `${code}@999`;
  const passphrase = randomBytes(12).toString('base64url');
  const credentials = generateMemberCredentials({ commonName: code, passphrase, days: 30 });
  const members = service.app.get<MemberRepository>(MEMBER_REPOSITORY);
  const member = await members.upsertMember({ code, name: `Member ${code}`, kind: options.kind ?? 'NON_BANK', bankId: options.ownBankId ?? null, oauthClientId: clientId, userId: username });
  await members.addCertificate(member.id, credentials.certificatePem);
  const bankId = options.bankId ?? '2501';
  const debtorAccount = `00100${randomBytes(5).toString('hex').replace(/[a-f]/g, '7')}`.slice(0, 16);
  await service.app.get<WhitelistRepository>(WHITELIST_REPOSITORY).add({
    memberId: member.id, bankId, branchId: options.branchId ?? '1', accountId: debtorAccount, accountName: `Member ${code}`,
    letterNumber: `DAL-${code}`, letterDate: '2026-11-01', letterIssuingBank: bankId, letterDocumentHash: randomBytes(32).toString('hex'),
    effectiveFrom: new Date(Date.UTC(2026, 0, 1)), recordedBy: 'test-operator',
  });
  await service.app.get<DebitCapRepository>(DEBIT_CAP_REPOSITORY).setCap({
    memberId: member.id, bankId, capAmount: options.cap ?? '100000.00', perTransactionLimit: options.perTransactionLimit ?? null, updatedBy: 'test-operator',
  });
  return { member, code, clientId, username, privateKeyPem: credentials.privateKeyPem, certificatePem: credentials.certificatePem, pfx: credentials.pfx, passphrase, debtorAccount };
}

/** SHA256withRSA with node:crypto only, as a member's own code does (docs/npi-reference.md "Signature token strings"). */
export function memberSign(tokenString: string, privateKeyPem: string): string {
  return cryptoSign('sha256', Buffer.from(tokenString, 'utf8'), { key: privateKeyPem, padding: constants.RSA_PKCS1_PADDING }).toString('base64');
}

const two = (amount: number | string) => Number(amount).toFixed(2);

/** A signed real-time body (`nchlRealTimeBatch` of `@npi/testing`) from the member's debtor account. */
export function realTimeBody(member: TestMember, options: { batchId?: string; amount?: number; debtorAgent?: string; debtorBranch?: string; debtorAccount?: string; creditorAgent?: string } = {}) {
  return nchlRealTimeBatch({
    ...options,
    debtorAccount: options.debtorAccount ?? member.debtorAccount,
    debtorName: `Member ${member.code}`,
    userId: member.username,
    sign: (tokenString) => memberSign(tokenString, member.privateKeyPem),
  });
}

/** A signed non-real-time body of `count` transactions. */
export function nonRealTimeBody(member: TestMember, count: number, options: { batchId?: string; amount?: number } = {}) {
  const batchId = options.batchId ?? `N${randomBytes(6).toString('hex')}`;
  const amount = options.amount ?? 10.5;
  const transactions = Array.from({ length: count }, (_, index) => ({
    instructionId: `${batchId}-${index + 1}`, endToEndId: 'Salary', amount, creditorAgent: '4501', creditorBranch: '23',
    creditorName: `Creditor ${index}`, creditorAccount: `0010111600${String(index).padStart(5, '0')}`,
  }));
  const batchAmount = (Math.round(amount * 100) * count) / 100;
  const batch = {
    batchId, batchAmount, batchCount: count, batchCrncy: 'NPR', categoryPurpose: 'CUST',
    debtorAgent: '2501', debtorBranch: '1', debtorName: `Member ${member.code}`, debtorAccount: member.debtorAccount,
  };
  const tokenString = [batch.batchId, batch.debtorAgent, batch.debtorBranch, batch.debtorAccount, two(batch.batchAmount), batch.batchCrncy, batch.categoryPurpose,
    ...transactions.flatMap((t) => [t.instructionId, t.creditorAgent, t.creditorBranch, t.creditorAccount, two(t.amount)]), member.username].join(',');
  return { nchlIpsBatchDetail: batch, nchlIpsTransactionDetailList: transactions, token: memberSign(tokenString, member.privateKeyPem) };
}

/** Verifies NPI's answer token with NPI's certificate, rebuilding the decided string by hand. */
export function npiAnswerTokenString(body: { cipsBatchResponse: { batchId: string; responseCode: string; debitStatus?: string | null }; cipsTxnResponseList?: { instructionId: string; responseCode: string; creditStatus?: string | null }[] }): string {
  const batch = body.cipsBatchResponse;
  return [batch.batchId, batch.responseCode, batch.debitStatus ?? '', ...(body.cipsTxnResponseList ?? []).flatMap((t) => [t.instructionId, t.responseCode, t.creditStatus ?? ''])].join(',');
}
