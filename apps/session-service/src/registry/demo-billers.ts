import type { BillerInput } from './registry.contracts';

type FormField = BillerInput['form'][number];

const AMOUNT_FIELD: FormField = { fieldName: 'amount', label: 'Amount (NPR)', labelNe: 'रकम (रु)', mapField: 'amount', pattern: '^[0-9]{1,7}(\\.[0-9]{1,2})?$', required: true, kind: 'amount' };

/** A biller whose form asks for its reference field(s), then the amount. */
function demoBiller(about: Pick<BillerInput, 'name' | 'nameNe' | 'group' | 'icon'>, reference: FormField[], creditor: BillerInput['creditor']): BillerInput {
  return { ...about, form: [...reference, AMOUNT_FIELD], creditor };
}

/**
 * The demo catalogue: what standalone mode registers (`seedDemo`), the bench's billers, the tests'
 * host apps' billers and the admin API's example. Creditor accounts are made up.
 */
export const DEMO_BILLERS: Record<string, BillerInput> = {
  'NTC-PREPAID': demoBiller(
    { name: 'Nepal Telecom Prepaid', nameNe: 'नेपाल टेलिकम प्रिपेड', group: 'Telecom', icon: '📱' },
    [{ fieldName: 'mobile', label: 'Mobile Number', labelNe: 'मोबाइल नम्बर', mapField: 'refId', pattern: '^9[78][0-9]{8}$', required: true, kind: 'tel' }],
    { creditorAgent: '2501', creditorBranch: '1', creditorAccount: '0100000000001', creditorName: 'Nepal Telecom', appId: 'NPI-NTC-APP-1', categoryPurpose: 'ECPG' },
  ),
  'WORLDLINK': demoBiller(
    { name: 'WorldLink Internet', nameNe: 'वर्ल्डलिंक इन्टरनेट', group: 'Internet', icon: '🌐' },
    [{ fieldName: 'username', label: 'Customer ID', labelNe: 'ग्राहक आईडी', mapField: 'refId', pattern: '^[A-Za-z0-9._-]{3,40}$', required: true, kind: 'text' }],
    { creditorAgent: '1301', creditorBranch: '1', creditorAccount: '0200000000002', creditorName: 'WorldLink Communications', appId: 'NPI-WLINK-APP-1', categoryPurpose: 'ECPG' },
  ),
  'NEA': demoBiller(
    { name: 'Nepal Electricity Authority', nameNe: 'नेपाल विद्युत प्राधिकरण', group: 'Electricity', icon: '💡' },
    [
      { fieldName: 'scNo', label: 'SC Number', labelNe: 'एससी नम्बर', mapField: 'refId', pattern: '^[0-9A-Za-z.]{3,20}$', required: true, kind: 'text' },
      { fieldName: 'counter', label: 'NEA Counter', labelNe: 'काउन्टर', mapField: 'freeText1', pattern: '^[A-Za-z ]{2,40}$', required: true, kind: 'text' },
    ],
    { creditorAgent: '0401', creditorBranch: '1', creditorAccount: '0300000000003', creditorName: 'Nepal Electricity Authority', appId: 'NPI-NEA-APP-1', categoryPurpose: 'ECPG' },
  ),
};
