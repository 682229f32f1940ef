import { Inject, Injectable } from '@nestjs/common';
import { PaymentsDirectoryChangedV1 } from '@npi/kafka-contracts';
import { DIRECTORY_REPOSITORY } from '@npi/payment/data-access';
import type { ChargeSlab, DirectoryBank, DirectoryChange, DirectoryRepository } from '@npi/payment/data-access';
import { CLOCK } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { chargeFor } from '@npi/npi-charges';
import { InvalidAccountError, NotFoundError, ValidationFailedError } from '../domain/errors';
import { amountNumber, groupedAmount } from '../npi/nchl-format';
import { outboxRowFor } from '../npi/outbox';
import { FUND_TRANSFER_APP_ID } from '../tokens';
import {
  APP_ID_PATTERN,
  BANK_ID_PATTERN,
  toDirectoryBank,
  toDirectoryChange,
  toSlab,
} from './directory-document';
import type { DirectoryDocument } from './directory-document';
import type { DirectoryAutoReleaseBodyDto, DirectoryBankBodyDto, DirectoryChargeSlabsBodyDto } from './directory.contracts';

/** A path parameter that must be an id: anything else (NUL, `..`, 200 characters) is E007 before any query. */
export function pathId(value: string, pattern: RegExp, field: string): string {
  if (!pattern.test(value)) throw new ValidationFailedError('technical validation failed', undefined, [{ field, message: `${field} is not a valid id` }]);
  return value;
}

const CACHE_MS = 60_000;

/**
 * The NCHL directory as data: NCHL's list APIs answered from it, the charge of a transaction from
 * the app's slabs, and the operator's changes (each with `payments.directory.changed.v1` in the
 * same transaction). The slabs are read at most once a minute per process on the transaction path.
 */
@Injectable()
export class DirectoryService {
  private slabCache?: { at: number; slabs: Promise<Map<string, ChargeSlab[]>> };

  constructor(
    @Inject(DIRECTORY_REPOSITORY) private readonly directory: DirectoryRepository,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(FUND_TRANSFER_APP_ID) readonly fundTransferAppId: string,
  ) {}

  // ---- NCHL list APIs (answers exactly as NCHL's samples) ----

  async bankList(flag: 'cipsEnabled' | 'ipsEnabled' | 'accountValidationEnabled' | 'autoReversalEnabled') {
    return (await this.directory.banks(flag)).map((bank) => ({ bankId: bank.bankId, bankName: bank.bankName }));
  }

  async branchList(filter: { flag?: 'cipsEnabled' | 'ipsEnabled'; bankId?: string }) {
    if (filter.bankId !== undefined) {
      const bankId = pathId(filter.bankId, BANK_ID_PATTERN, 'bankId');
      if (!(await this.directory.bank(bankId))) throw new InvalidAccountError('invalid account: unknown bank', undefined, [{ field: 'bankId', message: 'unknown bank' }]);
    }
    return (await this.directory.branches(filter)).map((branch) => ({ branchId: branch.branchId, bankId: branch.bankId, branchName: branch.branchName }));
  }

  async chargeList(appId: string) {
    const slabs = await this.directory.chargeSlabs(pathId(appId, APP_ID_PATTERN, 'appId'));
    return slabs.map((slab) => ({
      scheme: slab.scheme,
      currency: slab.currency,
      maxAmt: amountNumber(slab.maxAmount),
      minChargeAmt: amountNumber(slab.minChargeAmount),
      maxChargeAmt: amountNumber(slab.maxChargeAmount),
      percent: Number(slab.percent),
    }));
  }

  async autoReleaseDetails(bankCode: unknown) {
    if (bankCode !== undefined && bankCode !== null && bankCode !== '' && (typeof bankCode !== 'string' || !BANK_ID_PATTERN.test(bankCode))) {
      throw new ValidationFailedError('technical validation failed', undefined, [{ field: 'bankCode', message: 'bankCode is not a valid bank id' }]);
    }
    const limits = await this.directory.autoReleaseLimits(typeof bankCode === 'string' && bankCode !== '' ? bankCode : undefined);
    return {
      data: limits.map((limit) => ({
        categoryPurpose: limit.categoryPurpose,
        bankCode: limit.bankId,
        maxAutoReleaseAmount: groupedAmount(limit.maxAmount),
        currency: limit.currency,
        bankName: limit.bankName,
        status: limit.status,
      })),
      message: 'Success',
      status: true,
    };
  }

  // ---- charges on the transaction path ----

  /** The charge of `amount` under `appId`'s slabs (the fund-transfer app when none is named). */
  async chargeOf(appId: string | null | undefined, amount: string): Promise<{ appId: string; chargeAmount: string }> {
    const app = appId || this.fundTransferAppId;
    const slabs = (await this.allSlabs()).get(app) ?? [];
    return { appId: app, chargeAmount: chargeFor(slabs, amount) };
  }

  private allSlabs(): Promise<Map<string, ChargeSlab[]>> {
    const now = this.clock.now().getTime();
    if (!this.slabCache || now - this.slabCache.at > CACHE_MS) {
      const slabs = this.directory.chargeSlabs().then((rows) => {
        const byApp = new Map<string, ChargeSlab[]>();
        for (const row of rows) byApp.set(row.appId, [...(byApp.get(row.appId) ?? []), row]);
        return byApp;
      });
      slabs.catch(() => (this.slabCache = undefined));
      this.slabCache = { at: now, slabs };
    }
    return this.slabCache.slabs;
  }

  // ---- operator changes ----

  /** At startup: an empty directory is filled from the directory file (later changes go through the admin API). */
  async bootstrap(document: DirectoryDocument): Promise<boolean> {
    if (!(await this.directory.isEmpty())) return false;
    await this.apply(toDirectoryChange(document), 'directory-file');
    return true;
  }

  async importDocument(document: DirectoryDocument, changedBy: string) {
    await this.apply(toDirectoryChange(document), changedBy);
    return { banks: document.banks.length, chargeSlabApps: document.chargeSlabs.length, autoReleaseBanks: document.autoReleaseLimits.length };
  }

  async putBank(bankId: string, body: DirectoryBankBodyDto, changedBy: string): Promise<DirectoryBank> {
    const id = pathId(bankId, BANK_ID_PATTERN, 'bankId');
    await this.apply({ banks: [toDirectoryBank({ ...body, bankId: id })] }, changedBy);
    return (await this.directory.bank(id)) as DirectoryBank;
  }

  async removeBank(bankId: string, changedBy: string): Promise<void> {
    const id = pathId(bankId, BANK_ID_PATTERN, 'bankId');
    if (!(await this.directory.bank(id))) throw new NotFoundError('no bank with this bankId');
    await this.apply({ removedBankIds: [id] }, changedBy);
  }

  async putChargeSlabs(appId: string, { slabs }: DirectoryChargeSlabsBodyDto, changedBy: string) {
    const app = pathId(appId, APP_ID_PATTERN, 'appId');
    await this.apply({ chargeSlabs: [{ appId: app, slabs: slabs.map(toSlab) }] }, changedBy);
    return this.chargeList(app);
  }

  async putAutoReleaseLimits(bankId: string, { limits }: DirectoryAutoReleaseBodyDto, changedBy: string) {
    const id = pathId(bankId, BANK_ID_PATTERN, 'bankId');
    await this.apply({ autoReleaseLimits: [{ bankId: id, limits: limits.map((l) => ({ categoryPurpose: l.categoryPurpose, maxAmount: l.maxAutoReleaseAmount, currency: l.currency, status: l.status })) }] }, changedBy);
    return this.autoReleaseDetails(id);
  }

  private async apply(change: DirectoryChange, changedBy: string): Promise<void> {
    const event = outboxRowFor(
      PaymentsDirectoryChangedV1,
      {
        changedAt: this.clock.now().toISOString(),
        changedBy,
        banks: (change.banks ?? []).map((bank) => ({ ...bank, branches: bank.branches.map((b) => ({ branchId: b.branchId, branchName: b.branchName })) })),
        removedBankIds: [...(change.removedBankIds ?? [])],
        chargeSlabs: (change.chargeSlabs ?? []).map(({ appId, slabs }) => ({
          appId,
          slabs: slabs.map((s) => ({ scheme: s.scheme, currency: s.currency, maxAmt: s.maxAmount, minChargeAmt: s.minChargeAmount, maxChargeAmt: s.maxChargeAmount, percent: s.percent })),
        })),
        autoReleaseLimits: (change.autoReleaseLimits ?? []).map(({ bankId, limits }) => ({
          bankId,
          limits: limits.map((l) => ({ categoryPurpose: l.categoryPurpose, maxAutoReleaseAmount: l.maxAmount, currency: l.currency, status: l.status })),
        })),
      },
      { producer: 'payment-service', key: 'directory' },
    );
    await this.directory.apply(change, [event]);
    this.slabCache = undefined;
  }
}
