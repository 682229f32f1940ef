import type { Bank, Branch } from '@npi/payment/data-access';

/**
 * The bank and branch lists seeded at every start (idempotent upserts), served by
 * `/api/getcipsbanklist` and `/api/getbranchlist/{bankId}`. A deployment loads NCHL's current
 * member list the same way (`BankRegistry.seed`); these ids follow NCHL's 4-digit bank ids.
 */
export const REFERENCE_BANKS: readonly (Bank & { branches: readonly Omit<Branch, 'bankId'>[] })[] = [
  { bankId: '0401', bankName: 'Nabil Bank Limited', branches: [{ branchId: '1', branchName: 'Head Office' }, { branchId: '81', branchName: 'Kamaladi' }] },
  { bankId: '1701', bankName: 'Nepal Investment Mega Bank Limited', branches: [{ branchId: '1', branchName: 'Durbarmarg' }] },
  { bankId: '2501', bankName: 'Himalayan Bank Limited', branches: [{ branchId: '1', branchName: 'Thamel' }, { branchId: '2', branchName: 'New Road' }] },
  { bankId: '2601', bankName: 'Nepal SBI Bank Limited', branches: [{ branchId: '1', branchName: 'Hattisar' }] },
  { bankId: '4501', bankName: 'Global IME Bank Limited', branches: [{ branchId: '1', branchName: 'Kamaladi' }, { branchId: '23', branchName: 'Pokhara' }] },
  { bankId: '9935', bankName: 'NCHL Test Creditor Bank', branches: [{ branchId: '1', branchName: 'Main' }] },
];
