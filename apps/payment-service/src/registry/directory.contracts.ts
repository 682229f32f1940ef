import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';
import { autoReleaseLimitsSchema, chargeSlabsSchema, directoryBankBodySchema, directoryDocumentSchema } from './directory-document';

/** The admin directory API's shapes: the request bodies are the directory file's own zod schemas. */
export class DirectoryDocumentDto extends createZodDto(directoryDocumentSchema.describe('A directory document (the directory file format)')) {}
export class DirectoryBankBodyDto extends createZodDto(directoryBankBodySchema.describe('A bank with its list flags and all its branches (bankId from the path)')) {}
export class DirectoryChargeSlabsBodyDto extends createZodDto(z.object({ slabs: chargeSlabsSchema }).strict().describe("An app's charge slabs")) {}
export class DirectoryAutoReleaseBodyDto extends createZodDto(z.object({ limits: autoReleaseLimitsSchema }).strict().describe("A bank's auto-release limits")) {}

export class DirectoryImportResultDto extends createZodDto(z.object({ banks: z.number().int(), chargeSlabApps: z.number().int(), autoReleaseBanks: z.number().int() }).strict()) {}
export class DirectoryBankViewDto extends createZodDto(
  z
    .object({
      bankId: z.string(),
      bankName: z.string(),
      cipsEnabled: z.boolean(),
      ipsEnabled: z.boolean(),
      accountValidationEnabled: z.boolean(),
      autoReversalEnabled: z.boolean(),
      branches: z.array(z.object({ branchId: z.string(), branchName: z.string() })),
    })
    .strict(),
) {}
/** payment-service's admin error body. */
export class DirectoryAdminErrorDto extends createZodDto(
  z.object({ error: z.object({ code: z.string(), message: z.string(), fieldErrors: z.array(z.object({ field: z.string(), message: z.string() })).optional() }), correlationId: z.string() }).describe('Admin API error'),
) {}

export const DIRECTORY_EXAMPLES = {
  bank: { bankId: '2501', bankName: 'Himalayan Bank Limited', cipsEnabled: true, ipsEnabled: true, accountValidationEnabled: true, autoReversalEnabled: true, branches: [{ branchId: '1', branchName: 'Thamel' }] },
};
