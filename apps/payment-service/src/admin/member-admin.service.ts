import { Inject, Injectable } from '@nestjs/common';
import { z } from 'zod';
import { BANK_REPOSITORY, DEBIT_CAP_REPOSITORY, MEMBER_REPOSITORY, WHITELIST_REPOSITORY } from '@npi/payment/data-access';
import type { BankRepository, DebitCapRepository, Member, MemberRepository, WhitelistRepository } from '@npi/payment/data-access';
import { CLOCK } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { parseCertificateForRegistration } from './certificate';
import { InvalidAccountError, NotFoundError, ValidationFailedError } from '../domain/errors';
import { canonical } from '../domain/money';
import { SettlementService } from '../settlement/settlement.service';
import type { CertificateInput, DebitCapInput, KnownAccountInput, MemberInput, ReversalInput, SuspensionInput, WhitelistInput } from './admin.contracts';

/** The operator's registry work: members, certificates, whitelist entries, debit caps, known accounts. */
@Injectable()
export class MemberAdminService {
  constructor(
    @Inject(MEMBER_REPOSITORY) private readonly members: MemberRepository,
    @Inject(BANK_REPOSITORY) private readonly banks: BankRepository,
    @Inject(WHITELIST_REPOSITORY) private readonly whitelist: WhitelistRepository,
    @Inject(DEBIT_CAP_REPOSITORY) private readonly caps: DebitCapRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly settlement: SettlementService,
  ) {}

  /** Bodies arrive checked against admin.contracts.ts (ZodBodyPipe). */
  async upsertMember(input: MemberInput) {
    if (input.kind === 'BANK' && !input.bankId) throw new ValidationFailedError('validation failed', undefined, [{ field: 'bankId', message: 'a bank member needs its bankId' }]);
    if (input.bankId) await this.requireBank(input.bankId);
    const certificate = input.certificatePem ? parseCertificateForRegistration(input.certificatePem, this.clock.now()) : undefined;
    const member = await this.members.upsertMember({ ...input, bankId: input.bankId ?? null, oauthClientId: input.oauthClientId ?? null });
    if (certificate) await this.members.addCertificate(member.id, certificate);
    return member;
  }

  async addCertificate(code: string, { certificatePem }: CertificateInput) {
    const member = await this.member(code);
    const certificate = await this.members.addCertificate(member.id, parseCertificateForRegistration(certificatePem, this.clock.now()));
    return { id: certificate.id, fingerprint: certificate.fingerprint, notBefore: certificate.notBefore, notAfter: certificate.notAfter };
  }

  async addWhitelistEntry(code: string, input: WhitelistInput) {
    const member = await this.member(code);
    await this.requireBank(input.bankId);
    if (!(await this.banks.branchExists(input.bankId, input.branchId))) throw new InvalidAccountError('unknown branch', undefined, [{ field: 'branchId', message: 'unknown branch' }]);
    return this.whitelist.add({
      ...input,
      memberId: member.id,
      effectiveFrom: input.effectiveFrom ? new Date(input.effectiveFrom) : this.clock.now(),
      effectiveTo: input.effectiveTo ? new Date(input.effectiveTo) : null,
    });
  }

  async listWhitelist(code: string) {
    return this.whitelist.list((await this.member(code)).id);
  }

  async suspendWhitelistEntry(entryId: string, { suspendedBy }: SuspensionInput) {
    if (!z.string().uuid().safeParse(entryId).success) throw new NotFoundError('no such whitelist entry');
    const entry = await this.whitelist.suspend(entryId, suspendedBy, this.clock.now());
    if (!entry) throw new NotFoundError('no such whitelist entry');
    return entry;
  }

  async setDebitCap(code: string, input: DebitCapInput) {
    const member = await this.member(code);
    await this.requireBank(input.bankId);
    const amount = (value: unknown, field: string) => {
      try {
        return canonical(value, field);
      } catch (error) {
        throw new ValidationFailedError('validation failed', undefined, [{ field, message: (error as Error).message }]);
      }
    };
    return this.caps.setCap({
      memberId: member.id,
      bankId: input.bankId,
      capAmount: amount(input.capAmount, 'capAmount'),
      perTransactionLimit: input.perTransactionLimit === null || input.perTransactionLimit === undefined ? null : amount(input.perTransactionLimit, 'perTransactionLimit'),
      updatedBy: input.updatedBy,
    });
  }

  async reverseBatch(code: string, batchId: string, { reason }: ReversalInput) {
    await this.member(code);
    if (!(await this.settlement.reverse(code, batchId, reason))) throw new NotFoundError('no accepted batch with this batchId');
    return { batchId, status: 'REVERSED' };
  }

  async addKnownAccount(account: KnownAccountInput) {
    await this.requireBank(account.bankId);
    await this.banks.seed([], [account]);
    return account;
  }

  private async member(code: string): Promise<Member> {
    const member = await this.members.findByCode(code);
    if (!member) throw new NotFoundError('no such member');
    return member;
  }

  private async requireBank(bankId: string): Promise<void> {
    if (!(await this.banks.bank(bankId))) throw new InvalidAccountError('unknown bank', undefined, [{ field: 'bankId', message: 'unknown bank' }]);
  }
}
