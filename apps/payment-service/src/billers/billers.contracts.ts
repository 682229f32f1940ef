import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';

/** `POST /api/npibiller/confirmbillerpay.do` (NCHL's Billers guide, "Confirm Bill Pay"); NCHL fields beyond these pass through. */
const text = (max: number) => z.string().trim().min(1).max(max);
export const billerConfirmBody = z
  .object({
    cipsBatchDetail: z
      .object({
        batchId: text(20), batchAmount: z.union([z.number(), z.string()]), batchCount: z.coerce.number().int().default(1), batchCrncy: z.literal('NPR'),
        categoryPurpose: z.string().max(4).nullish(), debtorAgent: text(4), debtorBranch: text(4), debtorName: text(140), debtorAccount: text(20),
      })
      .passthrough(),
    cipsTransactionDetail: z
      .object({
        id: z.union([z.number(), z.string()]), instructionId: text(30), endToEndId: text(64), amount: z.union([z.number(), z.string()]),
        appId: text(64), refId: text(64), creditorAgent: z.string().max(16).nullish(), creditorBranch: z.string().max(16).nullish(),
        creditorName: z.string().max(140).nullish(), creditorAccount: z.string().max(64).nullish(),
      })
      .passthrough(),
    token: z.string().min(1).describe("the member's SHA256withRSA signature over NCHL's token string, base64"),
  })
  .passthrough()
  .describe('confirmbillerpay.do: a bill an NPI Billers session prepared');

export class NchlBillerConfirmDto extends createZodDto(billerConfirmBody) {}
/** The body as the member posted it (validated, not trimmed): NCHL's token string is signed over these values. */
export type NchlBillerConfirmPosted = z.input<typeof billerConfirmBody>;

/** NCHL's Billers guide sample values (the token is a placeholder: it signs the member's own values). */
export const BILLER_CONFIRM_EXAMPLE = {
  cipsBatchDetail: { batchId: 'T13-12818780108', batchAmount: 1000, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG', debtorAgent: '2601', debtorBranch: '1', debtorName: 'Sita', debtorAccount: '0010123400000018' },
  cipsTransactionDetail: { id: 12816806, instructionId: 'T13-12818780108-1', endToEndId: 'Traffic Fine Payment', amount: 1000, appId: 'MER-984-APP-1', refId: '187145' },
  token: 'base64 SHA256withRSA over the token string',
};
