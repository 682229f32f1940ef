import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';
import { BANK_ID_PATTERN } from './directory-document';

/**
 * A JSON value that is not an object (an array, `null`, no body) is read as `{}`: its fields are
 * then each reported missing, the answer these APIs have always given.
 */
const objectOrEmpty = <T extends z.ZodRawShape>(shape: T) =>
  z.preprocess((value) => (typeof value === 'object' && value !== null && !Array.isArray(value) ? value : {}), z.object(shape));

/** One message per field, whatever rule failed: the wording the account-validation API has always answered with. */
const field = (message: string) => z.string({ errorMap: () => ({ message }) });
const BANK_ID_MESSAGE = 'bankId is required: 1-8 letters or digits';
const ACCOUNT_ID_MESSAGE = 'accountId is required: 1-20 letters, digits or dashes';
const ACCOUNT_NAME_MESSAGE = 'accountName is required: up to 140 printable characters';

/** `POST /api/validatebankaccount` (NCHL API specification section 5.3). */
export const validateAccountBody = objectOrEmpty({
  bankId: field(BANK_ID_MESSAGE).regex(/^[0-9A-Za-z]{1,8}$/, BANK_ID_MESSAGE),
  accountId: field(ACCOUNT_ID_MESSAGE).regex(/^[0-9A-Za-z-]{1,20}$/, ACCOUNT_ID_MESSAGE),
  accountName: field(ACCOUNT_NAME_MESSAGE)
    // eslint-disable-next-line no-control-regex
    .refine((name) => name.trim().length > 0 && name.length <= 140 && !/[\u0000-\u001f]/.test(name), ACCOUNT_NAME_MESSAGE)
    .describe('1-140 printable characters'),
});
export class NchlValidateAccountDto extends createZodDto(validateAccountBody) {}

/** `POST /api/tp/auto-release/details`: one bank, or every bank when bankCode is absent, null or empty. */
const BANK_CODE_MESSAGE = 'bankCode is not a valid bank id';
export const autoReleaseQueryBody = objectOrEmpty({
  bankCode: field(BANK_CODE_MESSAGE)
    .refine((code) => code === '' || BANK_ID_PATTERN.test(code), BANK_CODE_MESSAGE)
    .nullish()
    .describe('bank id (4 digits in NCHL\'s directory); absent, null or empty: every bank'),
});
export class NchlAutoReleaseQueryDto extends createZodDto(autoReleaseQueryBody) {}

/** NCHL's request samples. */
export const DETAILS_REQUEST_EXAMPLES = {
  validateAccount: { bankId: '0401', accountId: '08110017501011', accountName: 'MANISHA DHAUBANJAR' },
  autoRelease: { bankCode: '2301' },
};
