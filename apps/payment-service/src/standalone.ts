/**
 * Standalone-mode hooks (tools/standalone): NPI's own signing PFX, its passphrase and the admin
 * token are generated once into `<dataDir>/secrets/payment-service/` (0600) and read on later
 * starts; the demo member (seed 001) is linked to auth-service's demo OAuth client and user.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { BANK_REPOSITORY, DEBIT_CAP_REPOSITORY, MEMBER_REPOSITORY, WHITELIST_REPOSITORY } from '@npi/payment/data-access';
import type { BankRepository, DebitCapRepository, MemberRepository, WhitelistRepository } from '@npi/payment/data-access';
import type { RunningService } from '@npi/service-runtime';
import { generateMemberCredentials } from '@npi/signature-token';

function readOrCreate(file: string, create: () => string | Buffer): Buffer {
  if (!fs.existsSync(file)) {
    fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, create(), { mode: 0o600 });
  }
  return fs.readFileSync(file);
}

export function standaloneEnvironment(dataDir: string): Record<string, string> {
  const dir = path.join(dataDir, 'secrets', 'payment-service');
  const passphrase = readOrCreate(path.join(dir, 'npi-signing.passphrase'), () => randomBytes(24).toString('base64url')).toString('utf8').trim();
  const pfx = readOrCreate(path.join(dir, 'npi-signing.pfx'), () => generateMemberCredentials({ commonName: 'NPI payment-service (standalone)', passphrase, days: 825 }).pfx);
  const adminToken = readOrCreate(path.join(dir, 'admin-token'), () => randomBytes(32).toString('base64url')).toString('utf8').trim();
  return {
    NPI_SIGNING_PFX_BASE64: pfx.toString('base64'),
    NPI_SIGNING_PFX_PASSPHRASE: passphrase,
    PAYMENT_ADMIN_TOKEN: adminToken,
  };
}

const DEMO_BANK = '2501';
const DEMO_ACCOUNT = '0010055573200018';

interface AuthDemo {
  clientId?: string;
  username?: string;
  memberCode?: string;
}

export async function seedDemo(service: RunningService, context: { demoDir: string; shared: Record<string, unknown> }): Promise<Record<string, unknown>> {
  const auth = (context.shared['auth-service'] ?? {}) as AuthDemo;
  const code = auth.memberCode ?? 'DEMO';
  const username = auth.username ?? 'demo.user';
  const members = service.app.get<MemberRepository>(MEMBER_REPOSITORY);
  const member = await members.upsertMember({ code, name: 'Demo NPI member (wallet)', kind: 'NON_BANK', oauthClientId: auth.clientId ?? null, userId: username });

  // The member's PFX, as NCHL's certificate for the member's CSR would be: generated once.
  fs.mkdirSync(context.demoDir, { recursive: true });
  const pfxFile = path.join(context.demoDir, 'payment-demo-member.pfx');
  const passphraseFile = path.join(context.demoDir, 'payment-demo-member.passphrase');
  const certificateFile = path.join(context.demoDir, 'payment-demo-member.crt');
  if (!fs.existsSync(pfxFile) || !fs.existsSync(passphraseFile) || !fs.existsSync(certificateFile)) {
    const passphrase = randomBytes(12).toString('base64url');
    const credentials = generateMemberCredentials({ commonName: code, passphrase, days: 365 });
    fs.writeFileSync(pfxFile, credentials.pfx, { mode: 0o600 });
    fs.writeFileSync(passphraseFile, passphrase, { mode: 0o600 });
    fs.writeFileSync(certificateFile, credentials.certificatePem, { mode: 0o644 });
  }
  await members.addCertificate(member.id, fs.readFileSync(certificateFile, 'utf8'));
  await service.app.get<WhitelistRepository>(WHITELIST_REPOSITORY).add({
    memberId: member.id, bankId: DEMO_BANK, branchId: '1', accountId: DEMO_ACCOUNT, accountName: 'Demo Wallet Settlement Account',
    letterNumber: 'HBL/DAL/DEMO/001', letterDate: '2026-01-01', letterIssuingBank: 'Himalayan Bank Limited', letterDocumentHash: '0'.repeat(64),
    effectiveFrom: new Date(Date.UTC(2026, 0, 1)), recordedBy: 'standalone',
  });
  await service.app.get<DebitCapRepository>(DEBIT_CAP_REPOSITORY).setCap({ memberId: member.id, bankId: DEMO_BANK, capAmount: '1000000.00', perTransactionLimit: '200000.00', updatedBy: 'standalone' });
  await service.app.get<BankRepository>(BANK_REPOSITORY).seed([], [{ bankId: '4501', branchId: '23', accountId: '001011160000374', accountName: 'RAM BAHADUR THAPA', currency: 'NPR' }]);

  const base = service.url;
  return {
    memberCode: code,
    userId: username,
    oauthClientId: auth.clientId ?? null,
    pfxFile,
    pfxPassphrase: fs.readFileSync(passphraseFile, 'utf8'),
    certificateFile,
    debtorAgent: DEMO_BANK,
    debtorBranch: '1',
    debtorAccount: DEMO_ACCOUNT,
    debitCap: '1000000.00',
    perTransactionLimit: '200000.00',
    npiCertificateUrl: `${base}/api/npi-certificate`,
    tokenString: `<batchId>,${DEMO_BANK},1,${DEMO_ACCOUNT},<batchAmount>,NPR,<instructionId>,4501,23,001011160000374,<amount>,${username}`,
    examples: [
      `curl -s ${base}/api/npi-certificate`,
      `curl -s -H "Authorization: Bearer $ACCESS_TOKEN" ${base}/api/debit-cap/details`,
      `openssl pkcs12 -in ${pfxFile} -nocerts -nodes -passin file:${passphraseFile} > member-key.pem  # then sign the token string: printf '%s' "$TOKEN_STRING" | openssl dgst -sha256 -sign member-key.pem | base64 -w0`,
    ],
  };
}
