import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';

/** The operator's admin API shapes: each body schema validates (ZodBodyPipe) and documents (OpenAPI). */
const text = (max: number) => z.string().trim().min(1).max(max);
export const memberBody = z.object({
  code: text(32),
  name: text(140),
  kind: z.enum(['BANK', 'NON_BANK']),
  bankId: text(4).nullish(),
  oauthClientId: text(128).nullish(),
  userId: text(64),
  certificatePem: z.string().min(1).optional(),
});
export const whitelistBody = z.object({
  bankId: text(4),
  branchId: text(4),
  accountId: text(20),
  accountName: text(140),
  letterNumber: text(64),
  letterDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD'),
  letterIssuingBank: text(140),
  letterDocumentHash: z.string().regex(/^[0-9a-f]{64}$/, 'SHA-256 hex of the letter'),
  effectiveFrom: z.string().datetime({ offset: true }).optional(),
  effectiveTo: z.string().datetime({ offset: true }).nullish(),
  recordedBy: text(64),
});
export const debitCapBody = z.object({ bankId: text(4), capAmount: z.union([z.string(), z.number()]), perTransactionLimit: z.union([z.string(), z.number()]).nullish(), updatedBy: text(64) });
export const knownAccountBody = z.object({ bankId: text(4), branchId: text(4), accountId: text(20), accountName: text(140), currency: z.literal('NPR').default('NPR') });
export const certificateBody = z.object({ certificatePem: z.string().min(1).describe("the member's X.509 signing certificate, PEM") });
export const suspensionBody = z.object({ suspendedBy: text(64) });
export const reversalBody = z.object({ reason: text(256) });

export type MemberInput = z.output<typeof memberBody>;
export type WhitelistInput = z.output<typeof whitelistBody>;
export type DebitCapInput = z.output<typeof debitCapBody>;
export type KnownAccountInput = z.output<typeof knownAccountBody>;
export type CertificateInput = z.output<typeof certificateBody>;
export type SuspensionInput = z.output<typeof suspensionBody>;
export type ReversalInput = z.output<typeof reversalBody>;

export class MemberBodyDto extends createZodDto(memberBody) {}
export class WhitelistBodyDto extends createZodDto(whitelistBody) {}
export class DebitCapBodyDto extends createZodDto(debitCapBody) {}
export class KnownAccountBodyDto extends createZodDto(knownAccountBody) {}
export class CertificateBodyDto extends createZodDto(certificateBody) {}
export class SuspensionBodyDto extends createZodDto(suspensionBody) {}
export class ReversalBodyDto extends createZodDto(reversalBody) {}

/** Answer shapes (dates as ISO strings on the wire). */
export class MemberViewDto extends createZodDto(
  z.object({ id: z.string(), code: z.string(), name: z.string(), kind: z.enum(['BANK', 'NON_BANK']), bankId: z.string().nullable(), oauthClientId: z.string().nullable(), userId: z.string(), status: z.string() }),
) {}
export class CertificateViewDto extends createZodDto(z.object({ id: z.string(), fingerprint: z.string().describe('SHA-256 of the DER'), notBefore: z.string(), notAfter: z.string() })) {}
export const whitelistEntryView = z.object({
  id: z.string(),
  memberId: z.string(),
  bankId: z.string(),
  branchId: z.string(),
  accountId: z.string(),
  accountName: z.string(),
  letterNumber: z.string(),
  letterDate: z.string(),
  letterIssuingBank: z.string(),
  letterDocumentHash: z.string(),
  status: z.string(),
  effectiveFrom: z.string(),
  effectiveTo: z.string().nullable(),
  recordedBy: z.string(),
  suspendedBy: z.string().nullable(),
  suspendedAt: z.string().nullable(),
  createdAt: z.string(),
});
export class WhitelistEntryDto extends createZodDto(whitelistEntryView) {}
export class DebitCapViewDto extends createZodDto(z.object({ id: z.string(), memberId: z.string(), bankId: z.string(), capAmount: z.string(), perTransactionLimit: z.string().nullable() })) {}
export class ReversalResultDto extends createZodDto(z.object({ batchId: z.string(), status: z.literal('REVERSED') })) {}
export class KnownAccountDto extends createZodDto(knownAccountBody.extend({ currency: z.literal('NPR') })) {}

export const ADMIN_EXAMPLES = {
  member: { id: '0b7d8a53-63a4-4c55-9f43-7d1f0a7a9b11', code: 'DEMOBANK', name: 'Demo Bank Ltd', kind: 'BANK', bankId: '2501', oauthClientId: 'demo-bank', userId: 'DEMOUSER', status: 'ACTIVE' },
  certificate: { id: '9a0c1f7e-3b0a-4e8b-8f7e-51d2c9f0aa01', fingerprint: '5f1e0c9d7b8a6f4e3d2c1b0a99887766554433221100ffeeddccbbaa99887766', notBefore: '2026-01-01T00:00:00.000Z', notAfter: '2028-01-01T00:00:00.000Z' },
  whitelistEntry: {
    id: '3c2b1a09-8f7e-4d6c-9b5a-4e3d2c1b0a99',
    memberId: '0b7d8a53-63a4-4c55-9f43-7d1f0a7a9b11',
    bankId: '2501',
    branchId: '1',
    accountId: '00100100200001',
    accountName: 'Demo Bank Settlement',
    letterNumber: 'DAL-2026-001',
    letterDate: '2026-12-01',
    letterIssuingBank: 'Himalayan Bank Limited',
    letterDocumentHash: 'a3f1c2e4b5d6978812ab34cd56ef7890a1b2c3d4e5f60718293a4b5c6d7e8f90',
    status: 'ACTIVE',
    effectiveFrom: '2026-12-01T00:00:00.000Z',
    effectiveTo: null,
    recordedBy: 'ops.officer',
    suspendedBy: null,
    suspendedAt: null,
    createdAt: '2026-12-01T09:00:00.000Z',
  },
  debitCap: { id: '7e6d5c4b-3a29-4180-9f8e-7d6c5b4a3928', memberId: '0b7d8a53-63a4-4c55-9f43-7d1f0a7a9b11', bankId: '2501', capAmount: '5000000.00', perTransactionLimit: '200000.00' },
  account: { bankId: '2501', branchId: '1', accountId: '00100100200001', accountName: 'Ram Bahadur', currency: 'NPR' },
};
