/**
 * The world the transaction rules run in, for unit specs: a member DEMO (user DEMOUSER through
 * client demo-client) with a signing certificate, banks 2501 (branch 1) and 4501 (branch 23), the
 * whitelisted debtor account 0010055573200018 at 2501, a debit cap there, and a `BatchesService`
 * over the in-memory ports. Real keys: the member's token strings are really signed and verified.
 */
import { sign } from 'node:crypto';
import type { Member } from '@npi/payment/data-access';
import { ManualClock } from '@npi/service-runtime';
import { generateMemberCredentials } from '@npi/signature-token';
import { BatchesService } from '../../src/batches/batches.service';
import { NpiResponseSigner, memberTokenVerifier } from '../../src/npi/signing';
import { DirectoryService } from '../../src/registry/directory.service';
import { InMemoryDirectoryRepository, inMemoryPaymentPorts } from './in-memory-ports';

export const NOW = new Date('2026-12-06T06:00:00Z');
export const USER = 'DEMOUSER';
export const CLIENT = 'demo-client';
export const WHITELISTED = '0010055573200018';
export const PRINCIPAL = { subject: USER, clientId: CLIENT };

const yesterday = new Date(NOW.getTime() - 86_400_000);
export const memberKeys = generateMemberCredentials({ commonName: 'DEMO', passphrase: 'member-passphrase', days: 30, now: yesterday });
const npiKeys = generateMemberCredentials({ commonName: 'NPI', passphrase: 'npi-passphrase-of-16', days: 30, now: yesterday });
const npiSigner = NpiResponseSigner.fromPfx(npiKeys.pfx.toString('base64'), 'npi-passphrase-of-16');

/** The member's signature over a token string (base64 SHA256withRSA), with its key unless another is given. */
export function memberSignature(tokenString: string, privateKeyPem = memberKeys.privateKeyPem): string {
  return sign('sha256', Buffer.from(tokenString), privateKeyPem).toString('base64');
}

export interface WorldOptions {
  kind?: Member['kind'];
  bankId?: string | null;
  /** false: no debit cap at 2501. */
  cap?: boolean;
  capAmount?: string;
  perTransactionLimit?: string | null;
}

export async function batchRulesWorld(options: WorldOptions = {}) {
  const clock = new ManualClock(NOW);
  const ports = inMemoryPaymentPorts(() => clock.now());
  const { members, banks, whitelist, caps, batches, contexts } = ports;
  const member = await members.upsertMember({ code: 'DEMO', name: 'Demo', kind: options.kind ?? 'NON_BANK', bankId: options.bankId ?? null, oauthClientId: CLIENT, userId: USER });
  await members.addCertificate(member.id, memberKeys.certificatePem);
  await banks.seed([
    { bankId: '2501', bankName: 'Himalayan Bank Limited', branches: [{ branchId: '1', branchName: 'Thamel' }] },
    { bankId: '4501', bankName: 'Nabil Bank Limited', branches: [{ branchId: '23', branchName: 'Teku' }] },
  ]);
  await whitelist.add({
    memberId: member.id, bankId: '2501', branchId: '1', accountId: WHITELISTED, accountName: 'Demo Wallet', letterNumber: 'DAL-1', letterDate: '2026-11-01',
    letterIssuingBank: '2501', letterDocumentHash: 'a'.repeat(64), effectiveFrom: new Date(NOW.getTime() - 3_600_000), recordedBy: 'operator',
  });
  if (options.cap !== false) {
    await caps.setCap({ memberId: member.id, bankId: '2501', capAmount: options.capAmount ?? '1000000.00', perTransactionLimit: options.perTransactionLimit ?? null, updatedBy: 'operator' });
  }
  // The transaction path reads only the charge slabs of the directory (none here: no charge).
  const directory = new DirectoryService(new InMemoryDirectoryRepository(), clock, 'MER-1-APP-3');
  const service = new BatchesService(
    members, banks, whitelist, caps, batches,
    memberTokenVerifier(clock), npiSigner, clock, { timeZone: 'Asia/Kathmandu', cutoffs: [] }, directory, contexts,
  );
  return { ...ports, clock, member, service };
}
