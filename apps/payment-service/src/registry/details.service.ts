import { Inject, Injectable } from '@nestjs/common';
import { BANK_REPOSITORY, DEBIT_CAP_REPOSITORY, MEMBER_REPOSITORY, WHITELIST_REPOSITORY } from '@npi/payment/data-access';
import type { BankRepository, DebitCapRepository, Member, MemberRepository, WhitelistRepository } from '@npi/payment/data-access';
import { CLOCK } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { amountToPaisa, paisaToAmount } from '@npi/signature-token';
import { InvalidAccountError, NotAuthorizedError } from '../domain/errors';
import { actsFor } from '../domain/principal';
import type { MemberPrincipal } from '../domain/principal';
import { settlementSessionAt, settlementSessionNumber } from '../domain/settlement-session';
import { amountNumber, javaDateString, maskAccount, nchlLocalDateTime, nchlTimestamp } from '../npi/nchl-format';
import type { SettlementCalendar } from '../domain/settlement-session';
import { SETTLEMENT_CALENDAR } from '../tokens';
import type { NchlValidateAccountDto } from './details.contracts';

/**
 * The member-facing details: account validation, debit caps, whitelisted accounts, answered exactly
 * as NCHL's samples (API specification sections 5.3 and 5.6: field names, JSON numbers for amounts,
 * NCHL's timestamp formats, masked account numbers).
 */
@Injectable()
export class DetailsService {
  constructor(
    @Inject(MEMBER_REPOSITORY) private readonly members: MemberRepository,
    @Inject(BANK_REPOSITORY) private readonly banks: BankRepository,
    @Inject(WHITELIST_REPOSITORY) private readonly whitelist: WhitelistRepository,
    @Inject(DEBIT_CAP_REPOSITORY) private readonly caps: DebitCapRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SETTLEMENT_CALENDAR) private readonly calendar: SettlementCalendar,
  ) {}

  async member(principal: MemberPrincipal): Promise<Member> {
    const member = await this.members.findByUserId(principal.subject);
    if (!actsFor(member, principal)) {
      throw new NotAuthorizedError('not authorized: no active NPI member for this user');
    }
    return member;
  }

  /** `/api/validatebankaccount`: existence and a name match percentage (NCHL: >80 may proceed). */
  async validateAccount({ bankId, accountId, accountName }: NchlValidateAccountDto) {
    const account = await this.banks.account(bankId, accountId);
    if (!account) throw new InvalidAccountError('invalid account: account not found', undefined, [{ field: 'accountId', message: 'unknown account' }]);
    const matchPercentage = nameMatchPercentage(account.accountName, accountName);
    const responseCode = matchPercentage === 100 ? '000' : matchPercentage > 80 ? '999' : '523';
    const responseMessage =
      responseCode === '000'
        ? 'Account successfully validated.'
        : responseCode === '999'
          ? 'Some difference in beneficiary account name observed. Transaction once sent is irreversible, please reconfirm the beneficiary account number.'
          : 'Beneficiary account name mismatch.';
    // NCHL's sample spells the percentage `matchPercentate` (its field table: `matchPercentage`): both are sent.
    return {
      bankId: account.bankId, branchId: account.branchId, accountId: maskAccount(account.accountId), accountName: null, currency: account.currency,
      responseCode, responseMessage, matchPercentate: matchPercentage, matchPercentage, baseUrl: null, userName: null, password: null,
    };
  }

  /** `/api/debit-cap/details`: per bank, the cap, what is left of it this session, the session number. */
  async debitCapDetails(principal: MemberPrincipal) {
    const member = await this.member(principal);
    const now = this.clock.now();
    const sessionId = settlementSessionAt(now, this.calendar);
    const caps = await this.caps.listWithUsage(member.id, sessionId);
    const names = new Map((await this.banks.banks()).map((bank) => [bank.bankId, bank.bankName]));
    return {
      timestamp: nchlLocalDateTime(now, this.calendar.timeZone),
      responseCode: '000',
      responseStatus: 'SUCCESS',
      responseMessage: 'Debit Cap Detail Fetched.',
      responseData: caps.map((cap) => ({
        debitCap: amountNumber(cap.capAmount),
        clrBalAmount: amountNumber(paisaToAmount(amountToPaisa(cap.capAmount) - amountToPaisa(cap.used))),
        bankName: names.get(cap.bankId) ?? cap.bankId,
        sessionId: settlementSessionNumber(sessionId),
      })),
    };
  }

  /** `/api/bank-account/details`: the member's whitelisted debtor accounts, account numbers masked. */
  async bankAccountDetails(principal: MemberPrincipal) {
    const member = await this.member(principal);
    const now = this.clock.now();
    const names = new Map((await this.banks.banks()).map((bank) => [bank.bankId, bank.bankName]));
    const entries = await this.whitelist.list(member.id, { activeAt: now });
    return {
      timestamp: javaDateString(now, this.calendar.timeZone),
      responseCode: '000',
      responseStatus: 'SUCCESS',
      responseMessage: 'Account Details Fetched.',
      data: entries.map((entry) => ({
        entryId: entry.id,
        bankId: entry.bankId,
        branchId: entry.branchId,
        accountName: entry.accountName,
        accountId: maskAccount(entry.accountId),
        bankName: names.get(entry.bankId) ?? entry.bankId,
        status: entry.status,
        rcreTime: nchlTimestamp(entry.createdAt),
      })),
    };
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
