import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';
import { NCHL_SAMPLES } from './nchl-samples';

/**
 * The answer shapes of the NPI APIs as zod schemas, for the OpenAPI document. NCHL's published
 * samples ARE the wire contract, so each schema is read off its sample: every key of the sample,
 * typed as the sample types it (a `null` in the sample: text or number), every value nullable as in
 * NCHL's own samples, objects strict. `with` adds the keys this service sends beyond the sample
 * (each one listed in the README's deliberate differences). The golden-shape tests compare the real
 * answers with the same samples.
 */
type Sample = null | string | number | boolean | Sample[] | { [key: string]: Sample };

export function schemaOfSample(sample: unknown, description?: string): z.ZodTypeAny {
  const schema = build(sample as Sample);
  return description ? schema.describe(description) : schema;
}

function build(sample: Sample): z.ZodTypeAny {
  if (sample === null) return z.union([z.string(), z.number()]).nullable();
  if (typeof sample === 'string') return z.string().nullable();
  if (typeof sample === 'number') return z.number().nullable();
  if (typeof sample === 'boolean') return z.boolean().nullable();
  if (Array.isArray(sample)) return z.array(sample.length > 0 ? build(sample[0]) : z.unknown());
  return z.object(Object.fromEntries(Object.entries(sample).map(([key, value]) => [key, build(value)]))).strict();
}

function objectOf(sample: unknown, extra: z.ZodRawShape = {}, description?: string) {
  const base = build(sample as Sample) as z.ZodObject<z.ZodRawShape>;
  const schema = base.extend(extra).strict();
  return description ? schema.describe(description) : schema;
}

const token = z.string().describe("NPI's signature: SHA256withRSA over batchId,responseCode,debitStatus then per transaction instructionId,responseCode,creditStatus (base64)");
const orignBranchId = z.string().nullable().describe("NCHL's field table lists it (not its samples): the branch of the credited account");

export class NchlTechnicalErrorDto extends createZodDto(
  z
    .object({
      responseCode: z.string().describe('E001, E003, E004, E007, 99, E999'),
      responseDescription: z.string(),
      fieldErrors: z.array(z.object({ field: z.string(), message: z.string() })),
      token: z.string().optional().describe("a transaction API's refusal naming a batchId: NPI's signature over `batchId,responseCode,`"),
    })
    .describe("NCHL's technical response format (HTTP 400, 401, 403, 500, 503)"),
) {}

export class NchlBatchAnswerDto extends createZodDto(objectOf(NCHL_SAMPLES.postcipsbatch, { token }, 'postcipsbatch / postnchlipsbatch answer')) {}
export class NchlBillerConfirmAnswerDto extends createZodDto(objectOf(NCHL_SAMPLES.confirmbillerpay, {}, 'confirmbillerpay.do answer (NCHL Billers guide)')) {}

const cipsTransaction = (build(NCHL_SAMPLES.getcipstxnbyinstructionid as Sample) as z.ZodObject<z.ZodRawShape>).extend({ orignBranchId }).strict();
const ipsTransaction = (build(NCHL_SAMPLES.getnchlipstxnlistbyinstructionid as Sample) as z.ZodObject<z.ZodRawShape>).extend({ orignBranchId }).strict();
export class NchlCipsTransactionReportDto extends createZodDto(cipsTransaction.describe('A real-time transaction with its batch (NCHL section 5.5, Case I)')) {}
export class NchlIpsTransactionReportDto extends createZodDto(ipsTransaction.describe('A non-real-time transaction with its batch (NCHL section 5.5, Case VI)')) {}

export class NchlBankDto extends createZodDto(objectOf(NCHL_SAMPLES.getbanklist[0], {}, 'A bank of an NCHL list')) {}
export class NchlBranchDto extends createZodDto(objectOf(NCHL_SAMPLES.getbranchlist[0], {}, 'A branch of an NCHL list')) {}
export class NchlChargeSlabDto extends createZodDto(objectOf(NCHL_SAMPLES.getcipschargelist[0], {}, 'A charge slab of an app')) {}
export class NchlAutoReleaseDetailsDto extends createZodDto(objectOf(NCHL_SAMPLES.tpAutoReleaseDetails, {}, 'tp/auto-release/details answer')) {}
export class NchlDebitCapDetailsDto extends createZodDto(objectOf(NCHL_SAMPLES.debitCapDetails, {}, 'debit-cap/details answer')) {}
export class NchlBankAccountDetailsDto extends createZodDto(objectOf(NCHL_SAMPLES.bankAccountDetails, {}, 'bank-account/details answer')) {}
export class NchlAccountValidationDto extends createZodDto(
  objectOf(NCHL_SAMPLES.validatebankaccount, { matchPercentage: z.number().describe("the same percentage under the name of NCHL's field table") }, 'validatebankaccount answer'),
) {}
export class NpiCertificateDto extends createZodDto(z.object({ certificatePem: z.string().describe("NPI's signing certificate, PEM") }).strict()) {}

/** Examples: NCHL's samples, with what this service adds. */
export const EXAMPLES = {
  batchAnswer: { ...NCHL_SAMPLES.postcipsbatch, token: 'D1xAD6zEHvRpAbd6rUUekdAPpc+RvGnaL8bKbKUf9MVKrjrr8zZN2JLer87PM5s0UVlYXh7KvUW8s0GwjAlPTmZkDWr3dIHlwVZqVOCq==' },
  nonRealTimeAnswer: { ...NCHL_SAMPLES.postnchlipsbatch, token: 'Gq2F0hemhaE5tpFcASCaaUY7HTzFdMbp2JyaN6l8y7co9AjbX/KMNZVE8HKJiCZ9ShsrRxJUVbo45DCZIB2YuCXyVtcMZZ74j9Jw==' },
  cipsTransaction: { ...NCHL_SAMPLES.getcipstxnbyinstructionid, orignBranchId: '5' },
  ipsTransaction: { ...NCHL_SAMPLES.getnchlipstxnlistbyinstructionid, orignBranchId: '75' },
  accountValidation: { ...NCHL_SAMPLES.validatebankaccount, matchPercentage: 100 },
  certificate: { certificatePem: '-----BEGIN CERTIFICATE-----\nMIIC...\n-----END CERTIFICATE-----\n' },
} as const;
