import { Inject, Injectable } from '@nestjs/common';
import { BANK_REGISTRY, DEBIT_CAP_REPOSITORY, MEMBER_REGISTRY, WHITELIST_REPOSITORY } from '@npi/payment/data-access';
import type { BankRegistry, DebitCapRepository, Member, MemberRegistry, WhitelistRepository } from '@npi/payment/data-access';
import { CLOCK } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { InvalidAccountError, NotAuthorizedError, ValidationFailedError } from '../domain/errors';
import { fromPaisa, toPaisa } from '../domain/money';
import type { MemberPrincipal } from '../domain/principal';
import { settlementSessionAt } from '../domain/settlement-session';
import type { SettlementCalendar } from '../domain/settlement-session';
import { SETTLEMENT_CALENDAR } from '../batches/batches.service';

/** NCHL's newer answer shape (docs/npi-reference.md "Error shape", decided for the detail APIs). */
export interface DetailAnswer<T> {
  responseCode: string;
  responseStatus: 'SUCCESS' | 'FAILED';
  responseMessage: string;
  responseData: T;
  responseErrors: { field: string; message: string }[];
}

const ok = <T>(data: T, message = 'Success'): DetailAnswer<T> => ({ responseCode: '000', responseStatus: 'SUCCESS', responseMessage: message, responseData: data, responseErrors: [] });

/** The member-facing lookups: banks, branches, account validation, debit caps, whitelisted accounts. */
@Injectable()
export class DetailsService {
  constructor(
    @Inject(MEMBER_REGISTRY) private readonly members: MemberRegistry,
    @Inject(BANK_REGISTRY) private readonly banks: BankRegistry,
    @Inject(WHITELIST_REPOSITORY) private readonly whitelist: WhitelistRepository,
    @Inject(DEBIT_CAP_REPOSITORY) private readonly caps: DebitCapRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SETTLEMENT_CALENDAR) private readonly calendar: SettlementCalendar,
  ) {}

  async member(principal: MemberPrincipal): Promise<Member> {
    const member = await this.members.findByUserId(principal.subject);
    if (!member || member.status !== 'ACTIVE' || (member.oauthClientId !== null && member.oauthClientId !== principal.clientId)) {
      throw new NotAuthorizedError('not authorized: no active NPI member for this user');
    }
    return member;
  }

  async bankList() {
    return (await this.banks.banks()).map((bank) => ({ bankId: bank.bankId, bankName: bank.bankName }));
  }

  async branchList(bankId: string) {
    if (!(await this.banks.bank(bankId))) throw new InvalidAccountError('invalid account: unknown bank', undefined, [{ field: 'bankId', message: 'unknown bank' }]);
    return (await this.banks.branches(bankId)).map((branch) => ({ bankId: branch.bankId, branchId: branch.branchId, branchName: branch.branchName }));
  }

  /** `/api/validatebankaccount`: existence and a name match percentage (NCHL: >80 may proceed). */
  async validateAccount(body: unknown) {
    const { bankId, accountId, accountName } = (body ?? {}) as Record<string, unknown>;
    const errors = [
      ...(typeof bankId === 'string' && bankId.length > 0 ? [] : [{ field: 'bankId', message: 'bankId is required' }]),
      ...(typeof accountId === 'string' && accountId.length > 0 ? [] : [{ field: 'accountId', message: 'accountId is required' }]),
      ...(typeof accountName === 'string' && accountName.length > 0 ? [] : [{ field: 'accountName', message: 'accountName is required' }]),
    ];
    if (errors.length > 0) throw new ValidationFailedError('technical validation failed', undefined, errors);
    const account = await this.banks.account(bankId as string, accountId as string);
    if (!account) throw new InvalidAccountError('invalid account: account not found', undefined, [{ field: 'accountId', message: 'unknown account' }]);
    const matchPercentage = nameMatchPercentage(account.accountName, accountName as string);
    const responseCode = matchPercentage === 100 ? '000' : matchPercentage > 80 ? '999' : '523';
    const responseMessage =
      responseCode === '000'
        ? 'Account successfully validated.'
        : responseCode === '999'
          ? 'Some difference in beneficiary account name observed. Transaction once sent is irreversible, please reconfirm the beneficiary account number.'
          : 'Beneficiary account name mismatch.';
    return { bankId: account.bankId, branchId: account.branchId, accountId: account.accountId, accountName: null, currency: account.currency, responseCode, responseMessage, matchPercentage };
  }

  /** `/api/debit-cap/details`: per bank, the cap, what is left of it this session, the session id. */
  async debitCapDetails(principal: MemberPrincipal) {
    const member = await this.member(principal);
    const sessionId = settlementSessionAt(this.clock.now(), this.calendar);
    const caps = await this.caps.listWithUsage(member.id, sessionId);
    const names = new Map((await this.banks.banks()).map((bank) => [bank.bankId, bank.bankName]));
    return ok(
      caps.map((cap) => ({
        bankId: cap.bankId,
        bankName: names.get(cap.bankId) ?? cap.bankId,
        debitCap: cap.capAmount,
        clrBalAmount: fromPaisa(toPaisa(cap.capAmount) - toPaisa(cap.used)),
        perTransactionLimit: cap.perTransactionLimit,
        sessionId,
      })),
    );
  }

  /** `/api/bank-account/details`: the member's whitelisted debtor accounts. */
  async bankAccountDetails(principal: MemberPrincipal) {
    const member = await this.member(principal);
    const names = new Map((await this.banks.banks()).map((bank) => [bank.bankId, bank.bankName]));
    const entries = await this.whitelist.list(member.id, { activeAt: this.clock.now() });
    return ok(
      entries.map((entry) => ({
        entryId: entry.id,
        bankId: entry.bankId,
        branchId: entry.branchId,
        accountName: entry.accountName,
        accountId: entry.accountId,
        bankName: names.get(entry.bankId) ?? entry.bankId,
        status: entry.status,
        rcreTime: entry.createdAt.toISOString(),
      })),
    );
  }
}

/** Character-bigram Dice similarity of the normalised names, as a whole percentage. */
export function nameMatchPercentage(registered: string, given: string): number {
  const normalise = (name: string) => name.toUpperCase().replace(/[^A-Z0-9]+/g, ' ').trim().replace(/\s+/g, ' ');
  const a = normalise(registered);
  const b = normalise(given);
  if (a === b) return 100;
  if (a.length < 2 || b.length < 2) return 0;
  const bigrams = (text: string) => {
    const counts = new Map<string, number>();
    for (let i = 0; i < text.length - 1; i++) counts.set(text.slice(i, i + 2), (counts.get(text.slice(i, i + 2)) ?? 0) + 1);
    return counts;
  };
  const left = bigrams(a);
  const right = bigrams(b);
  let overlap = 0;
  for (const [gram, count] of left) overlap += Math.min(count, right.get(gram) ?? 0);
  return Math.floor((200 * overlap) / (a.length - 1 + (b.length - 1)));
}
