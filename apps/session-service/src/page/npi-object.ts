import { randomBytes, randomInt } from 'node:crypto';
import { chargeFor } from '@npi/npi-charges';
import type { BillerRecord, ChargeSlabRecord } from '@npi/session/data-access';
import { PageApiError } from '../errors';

/** npiObject fields a biller form may fill (integration section 4.6.3). */
const MAPPABLE = new Set(['amount', 'refId', 'endToEndId', 'remarks', 'particulars', 'addenda1', 'addenda2', 'addenda3', 'addenda4',
  'freeText1', 'freeText2', 'freeText3', 'freeText4', 'freeText5', 'freeText6', 'freeText7']);
export const AMOUNT = /^(?!0+(\.0{1,2})?$)\d{1,12}(\.\d{1,2})?$/;
const MAX_FIELD_LENGTH = 140;

export function isMappableField(name: string): boolean {
  return MAPPABLE.has(name);
}

export interface BuiltBill {
  npiObject: Record<string, unknown>;
  batchId: string;
  instructionId: string;
  transactionId: string;
  endToEndId: string;
  refId: string;
  /** Canonical decimal with two fraction digits (docs/npi-reference.md "Amounts"). */
  amount: string;
}

/** Server-side validation of the submitted form against the biller's definition (never trust the page's). */
export function validateForm(biller: BillerRecord, fields: unknown): Record<string, string> {
  if (typeof fields !== 'object' || fields === null || Array.isArray(fields)) throw new PageApiError('ERR_FORM_INVALID', 'fields must be an object');
  const given = fields as Record<string, unknown>;
  const known = new Set(biller.form.map((f) => f.fieldName));
  const bad = Object.keys(given).filter((name) => !known.has(name));
  const values: Record<string, string> = {};
  for (const field of biller.form) {
    const value = given[field.fieldName];
    if (value === undefined || value === '') {
      if (field.required) bad.push(field.fieldName);
      continue;
    }
    if (typeof value !== 'string' || value.length > MAX_FIELD_LENGTH || !new RegExp(field.pattern).test(value) || (field.kind === 'amount' && !AMOUNT.test(value))) {
      bad.push(field.fieldName);
      continue;
    }
    values[field.fieldName] = value;
  }
  if (!biller.form.some((f) => f.mapField === 'amount' && values[f.fieldName] !== undefined)) bad.push('amount');
  if (bad.length > 0) throw new PageApiError('ERR_FORM_INVALID', 'form validation failed', [...new Set(bad)]);
  return values;
}

function twoDecimals(value: string): string {
  const [whole, fraction = ''] = value.split('.');
  return `${whole.replace(/^0+(?=\d)/, '')}.${fraction.padEnd(2, '0')}`;
}

/**
 * The npiObject of integration section 4.6.3: cipsBatchDetail with empty debtor fields (the host's
 * backend fills them after the user authorises), cipsTransactionDetail and fieldLabelMapping.
 */
export function buildNpiObject(biller: BillerRecord, values: Record<string, string>, lang: string, now: Date, chargeSlabs: readonly ChargeSlabRecord[] = []): BuiltBill {
  const mapped: Record<string, string> = {};
  for (const field of biller.form) if (values[field.fieldName] !== undefined) mapped[field.mapField] = values[field.fieldName];
  const amount = twoDecimals(mapped.amount);
  const chargeAmount = Number(chargeFor(chargeSlabs, amount));
  const batchId = `BIL-${randomBytes(8).toString('hex').toUpperCase()}`;
  const instructionId = `RT-${randomBytes(8).toString('hex').toUpperCase()}`;
  const transactionId = String(randomInt(100_000_000, 999_999_999));
  const refId = mapped.refId ?? '';
  const endToEndId = mapped.endToEndId ?? (refId || instructionId);
  const { creditor } = biller;
  const npiObject = {
    cipsBatchDetail: {
      batchId,
      recDate: null,
      batchAmount: Number(amount),
      batchCount: 1,
      batchChargeAmount: chargeAmount,
      batchCrncy: 'NPR',
      categoryPurpose: creditor.categoryPurpose,
      debtorAgent: '',
      debtorBranch: '',
      debtorName: '',
      debtorAccount: '',
      debtorAddress: null,
      debtorMobile: null,
      debtorEmail: null,
    },
    cipsTransactionDetail: {
      id: Number(transactionId),
      recDate: now.toISOString(),
      amount: Number(amount),
      chargeAmount,
      chargeLiability: 'CG',
      appId: creditor.appId,
      instructionId,
      endToEndId,
      refId,
      creditorAgent: creditor.creditorAgent,
      creditorBranch: creditor.creditorBranch,
      creditorAccount: creditor.creditorAccount,
      creditorName: creditor.creditorName,
      remarks: mapped.remarks ?? biller.name,
      particulars: mapped.particulars ?? '',
      addenda1: mapped.addenda1 ?? null,
      addenda2: mapped.addenda2 ?? null,
      addenda3: mapped.addenda3 ?? '',
      addenda4: mapped.addenda4 ?? '',
      freeText1: mapped.freeText1 ?? '',
      freeText2: mapped.freeText2 ?? '',
      freeText3: mapped.freeText3 ?? '',
      freeText4: mapped.freeText4 ?? '',
      freeText5: mapped.freeText5 ?? '',
      freeText6: mapped.freeText6 ?? '',
      freeText7: mapped.freeText7 ?? '',
    },
    fieldLabelMapping: biller.form.map((field) => ({
      fieldName: field.fieldName,
      fieldLabel: lang === 'ne' ? field.labelNe : field.label,
      mapField: field.mapField,
    })),
  };
  return { npiObject, batchId, instructionId, transactionId, endToEndId, refId, amount };
}
