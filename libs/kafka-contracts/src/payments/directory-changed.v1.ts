import { z } from 'zod';
import { defineEvent } from '../contract';
import { amountString, isoTimestamp } from '../common';
import { Topics } from '../topics';

const bankId = z.string().regex(/^[0-9A-Za-z]{1,8}$/);

const directoryBank = z
  .object({
    bankId,
    bankName: z.string().min(1).max(140),
    cipsEnabled: z.boolean(),
    ipsEnabled: z.boolean(),
    accountValidationEnabled: z.boolean(),
    autoReversalEnabled: z.boolean(),
    /** The bank's whole branch list: it replaces the consumer's copy. */
    branches: z.array(z.object({ branchId: z.string().min(1).max(8), branchName: z.string().min(1).max(140) }).strict()),
  })
  .strict();

const chargeSlab = z
  .object({
    scheme: z.string().min(1).max(16),
    currency: z.string().length(3),
    maxAmt: amountString,
    minChargeAmt: amountString,
    maxChargeAmt: amountString,
    /** Percent of the amount, e.g. "0.5" for half a percent. */
    percent: z.string().regex(/^\d{1,3}(\.\d{1,4})?$/),
  })
  .strict();

const autoReleaseLimit = z
  .object({ categoryPurpose: z.string().min(1).max(4), maxAutoReleaseAmount: amountString, currency: z.string().length(3), status: z.string().min(1).max(32) })
  .strict();

/**
 * payment-service → anyone who keeps a copy of the NCHL directory (session-service for the Billers
 * charge): a change of the bank/branch directory, the charge slabs of some apps or the auto-release
 * limits of some banks, made through the admin API or a directory import. Each listed entity is
 * sent whole and replaces the consumer's copy; entities not listed are unchanged. `changedAt`
 * orders changes (a consumer ignores one older than what it has).
 */
export const PaymentsDirectoryChangedV1 = defineEvent(
  Topics.paymentsDirectoryChanged,
  z
    .object({
      changedAt: isoTimestamp,
      changedBy: z.string().min(1).max(128),
      banks: z.array(directoryBank).default([]),
      removedBankIds: z.array(bankId).default([]),
      chargeSlabs: z.array(z.object({ appId: z.string().min(1).max(32), slabs: z.array(chargeSlab) }).strict()).default([]),
      autoReleaseLimits: z.array(z.object({ bankId, limits: z.array(autoReleaseLimit) }).strict()).default([]),
    })
    .strict(),
);

export type DirectoryBank = z.infer<typeof directoryBank>;
export type DirectoryChargeSlab = z.infer<typeof chargeSlab>;
export type DirectoryAutoReleaseLimit = z.infer<typeof autoReleaseLimit>;
