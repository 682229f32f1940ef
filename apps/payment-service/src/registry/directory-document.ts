import fs from 'node:fs';
import { z } from 'zod';
import type { DirectoryChange } from '@npi/payment/data-access';
import { canonical } from '../domain/money';

/**
 * The directory file (and the admin import body): NCHL's bank/branch directory with the lists each
 * bank appears in, charge slabs per app, auto-release limits per bank. Amounts may be JSON numbers
 * or decimal strings (at most two fraction digits); flags default as shown. Format and an example:
 * the payment-service README, "Directory file"; the shipped demo set is `directory.demo.json`.
 */
const bankId = z.string().regex(/^[0-9A-Za-z]{1,8}$/, 'bankId: 1-8 letters or digits');
const branchId = z.string().regex(/^[0-9A-Za-z]{1,8}$/, 'branchId: 1-8 letters or digits');
const name = z.string().trim().min(1).max(140);
const money = z.union([z.number(), z.string()]).transform((value, ctx) => {
  try {
    return canonical(value, 'amount');
  } catch (error) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: (error as Error).message });
    return z.NEVER;
  }
});
const percent = z.union([z.number(), z.string()]).transform((value, ctx) => {
  const text = String(value);
  if (!/^\d{1,3}(\.\d{1,4})?$/.test(text) || Number(text) > 100) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'percent: 0-100 with at most 4 fraction digits' });
    return z.NEVER;
  }
  return text;
});

const directoryBankFields = z
  .object({
    bankId,
    bankName: name,
    cips: z.boolean().default(true),
    ips: z.boolean().default(true),
    accountValidation: z.boolean().default(false),
    autoReversal: z.boolean().default(false),
    branches: z.array(z.object({ branchId, branchName: name }).strict()).max(10_000).default([]),
  })
  .strict();

function noBranchTwice(bank: { branches: { branchId: string }[] }, ctx: z.RefinementCtx): void {
  const ids = new Set<string>();
  for (const branch of bank.branches) {
    if (ids.has(branch.branchId)) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['branches'], message: `branch ${branch.branchId} listed twice` });
    ids.add(branch.branchId);
  }
}

export const directoryBankSchema = directoryBankFields.superRefine(noBranchTwice);

/**
 * `PUT /admin/directory/banks/{bankId}`: a bank without its id (the path names it; a `bankId` in
 * the body is ignored). The body's own keys are read as an object, whatever JSON value it is.
 */
export const directoryBankBodySchema = z.preprocess(
  (value) => ({ ...(value as object) }),
  directoryBankFields
    .omit({ bankId: true })
    .extend({ bankId: z.unknown().optional().describe('ignored: the path names the bank') })
    .superRefine(noBranchTwice),
);

export const chargeSlabsSchema = z
  .array(
    z
      .object({ scheme: z.string().trim().min(1).max(16), currency: z.literal('NPR').default('NPR'), maxAmt: money, minChargeAmt: money, maxChargeAmt: money, percent })
      .strict()
      .refine((slab) => Number(slab.minChargeAmt) <= Number(slab.maxChargeAmt), 'minChargeAmt must not exceed maxChargeAmt'),
  )
  .max(100)
  .refine((slabs) => new Set(slabs.map((s) => s.maxAmt)).size === slabs.length, 'two slabs with the same maxAmt');

export const autoReleaseLimitsSchema = z
  .array(z.object({ categoryPurpose: z.string().regex(/^[A-Z0-9]{4}$/, 'categoryPurpose: 4 capitals'), maxAutoReleaseAmount: money, currency: z.literal('NPR').default('NPR'), status: z.string().trim().min(1).max(32) }).strict())
  .max(200);

const appId = z.string().regex(/^[A-Za-z0-9-]{1,32}$/, 'appId: 1-32 letters, digits or dashes');

export const directoryDocumentSchema = z
  .object({
    banks: z.array(directoryBankSchema).max(1000).default([]),
    chargeSlabs: z.array(z.object({ appId, slabs: chargeSlabsSchema }).strict()).max(1000).default([]),
    autoReleaseLimits: z.array(z.object({ bankId, limits: autoReleaseLimitsSchema }).strict()).max(1000).default([]),
  })
  .strict();

export type DirectoryDocument = z.infer<typeof directoryDocumentSchema>;
export type DirectoryBankInput = z.infer<typeof directoryBankSchema>;

export const APP_ID_PATTERN = /^[A-Za-z0-9-]{1,32}$/;
export const BANK_ID_PATTERN = /^[0-9A-Za-z]{1,8}$/;

/** The repository's change for a parsed document (or one part of it). */
export function toDirectoryChange(document: Partial<DirectoryDocument>): DirectoryChange {
  return {
    banks: (document.banks ?? []).map(toDirectoryBank),
    chargeSlabs: (document.chargeSlabs ?? []).map(({ appId: app, slabs }) => ({ appId: app, slabs: slabs.map(toSlab) })),
    autoReleaseLimits: (document.autoReleaseLimits ?? []).map(({ bankId: bank, limits }) => ({
      bankId: bank,
      limits: limits.map((l) => ({ categoryPurpose: l.categoryPurpose, maxAmount: l.maxAutoReleaseAmount, currency: l.currency, status: l.status })),
    })),
  };
}

export function toDirectoryBank(bank: DirectoryBankInput) {
  return {
    bankId: bank.bankId,
    bankName: bank.bankName,
    cipsEnabled: bank.cips,
    ipsEnabled: bank.ips,
    accountValidationEnabled: bank.accountValidation,
    autoReversalEnabled: bank.autoReversal,
    branches: bank.branches,
  };
}

export function toSlab(slab: z.infer<typeof chargeSlabsSchema>[number]) {
  return { scheme: slab.scheme, currency: slab.currency, maxAmount: slab.maxAmt, minChargeAmount: slab.minChargeAmt, maxChargeAmount: slab.maxChargeAmt, percent: slab.percent };
}

/** Reads and validates a directory file; a broken file stops startup with the reason. */
export function readDirectoryFile(path: string): DirectoryDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(`directory file ${path} cannot be read as JSON: ${(error as Error).message}`);
  }
  const parsed = directoryDocumentSchema.safeParse(raw);
  if (!parsed.success) throw new Error(`directory file ${path} is invalid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}
