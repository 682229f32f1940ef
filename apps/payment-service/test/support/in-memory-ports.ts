/**
 * In-memory fakes of payment-service's ports (`@npi/payment/data-access`) for unit specs of the
 * rules: no PostgreSQL, no Kafka, no HTTP. Each fake keeps the adapter's contract (a batch id is
 * claimed once per member, a reservation fits under the cap or is refused, a suspended whitelist
 * entry is no longer active) and exposes what it stored so a spec can assert on it.
 */
import { createHash, randomUUID } from 'node:crypto';
import { X509Certificate } from 'node:crypto';
import type {
  AutoReleaseLimit,
  Bank,
  BankRepository,
  BatchDecision,
  BatchKind,
  BatchRecord,
  BatchRepository,
  Branch,
  ChargeSlab,
  CreditOutcome,
  DebitCap,
  DebitCapRepository,
  DebitCapWithUsage,
  DirectoryBank,
  DirectoryBankFlag,
  DirectoryChange,
  DirectoryRepository,
  KnownAccount,
  Member,
  MemberCertificate,
  MemberRepository,
  NewBatch,
  NewMember,
  NewWhitelistEntry,
  OutboxEventRow,
  PaymentContext,
  PaymentContextQuery,
  PaymentContextRepository,
  PreparedBill,
  PreparedBillRepository,
  RecordBatchResult,
  RecordedBatchIds,
  StoredAnswer,
  WhitelistEntry,
  WhitelistRepository,
} from '@npi/payment/data-access';
import { amountToPaisa, paisaToAmount } from '@npi/signature-token';

export class InMemoryMemberRepository implements MemberRepository {
  readonly members: Member[] = [];
  readonly certificates: MemberCertificate[] = [];

  async upsertMember(input: NewMember): Promise<Member> {
    const existing = this.members.find((m) => m.code === input.code);
    const member: Member = {
      id: existing?.id ?? randomUUID(),
      code: input.code,
      name: input.name,
      kind: input.kind,
      bankId: input.bankId ?? null,
      oauthClientId: input.oauthClientId ?? null,
      userId: input.userId,
      status: existing?.status ?? 'ACTIVE',
    };
    if (existing) this.members.splice(this.members.indexOf(existing), 1, member);
    else this.members.push(member);
    return member;
  }

  async findByUserId(userId: string): Promise<Member | null> {
    return this.members.find((m) => m.userId === userId) ?? null;
  }

  async findByCode(code: string): Promise<Member | null> {
    return this.members.find((m) => m.code === code) ?? null;
  }

  async setStatus(memberId: string, status: Member['status']): Promise<void> {
    const member = this.members.find((m) => m.id === memberId);
    if (member) member.status = status;
  }

  async addCertificate(memberId: string, certificatePem: string): Promise<MemberCertificate> {
    const certificate = new X509Certificate(certificatePem);
    const fingerprint = createHash('sha256').update(certificate.raw).digest('hex');
    const existing = this.certificates.find((c) => c.fingerprint === fingerprint);
    if (existing) return existing;
    const stored = { id: randomUUID(), memberId, certificatePem, fingerprint, notBefore: new Date(certificate.validFrom), notAfter: new Date(certificate.validTo) };
    this.certificates.push(stored);
    return stored;
  }

  async activeCertificates(memberId: string, at: Date): Promise<MemberCertificate[]> {
    return this.certificates.filter((c) => c.memberId === memberId && c.notBefore <= at && c.notAfter >= at);
  }
}

export class InMemoryBankRepository implements BankRepository {
  private readonly banksById = new Map<string, { bankName: string; branches: Map<string, string> }>();
  private readonly accounts: KnownAccount[] = [];

  async seed(banks: readonly (Bank & { branches: readonly Omit<Branch, 'bankId'>[] })[], accounts: readonly KnownAccount[] = []): Promise<void> {
    for (const bank of banks) this.banksById.set(bank.bankId, { bankName: bank.bankName, branches: new Map(bank.branches.map((b) => [b.branchId, b.branchName])) });
    this.accounts.push(...accounts);
  }

  async banks(): Promise<Bank[]> {
    return [...this.banksById].map(([bankId, { bankName }]) => ({ bankId, bankName }));
  }

  async bank(bankId: string): Promise<Bank | null> {
    const bank = this.banksById.get(bankId);
    return bank ? { bankId, bankName: bank.bankName } : null;
  }

  async branches(bankId: string): Promise<Branch[]> {
    return [...(this.banksById.get(bankId)?.branches ?? [])].map(([branchId, branchName]) => ({ bankId, branchId, branchName }));
  }

  async branchIndex(): Promise<Map<string, Set<string>>> {
    return new Map([...this.banksById].map(([bankId, bank]) => [bankId, new Set(bank.branches.keys())]));
  }

  async branchExists(bankId: string, branchId: string): Promise<boolean> {
    return this.banksById.get(bankId)?.branches.has(branchId) ?? false;
  }

  async account(bankId: string, accountId: string): Promise<KnownAccount | null> {
    return this.accounts.find((a) => a.bankId === bankId && a.accountId === accountId) ?? null;
  }
}

export class InMemoryWhitelistRepository implements WhitelistRepository {
  readonly entries: WhitelistEntry[] = [];

  async add(input: NewWhitelistEntry): Promise<WhitelistEntry> {
    const entry: WhitelistEntry = {
      ...input,
      id: randomUUID(),
      status: 'ACCEPTED',
      effectiveTo: input.effectiveTo ?? null,
      suspendedBy: null,
      suspendedAt: null,
      createdAt: input.effectiveFrom,
    };
    this.entries.push(entry);
    return entry;
  }

  async suspend(entryId: string, by: string, at: Date): Promise<WhitelistEntry | null> {
    const entry = this.entries.find((e) => e.id === entryId);
    if (!entry) return null;
    Object.assign(entry, { status: 'SUSPENDED', suspendedBy: by, suspendedAt: at });
    return entry;
  }

  async list(memberId: string, options: { activeAt?: Date } = {}): Promise<WhitelistEntry[]> {
    const at = options.activeAt;
    return this.entries.filter((e) => e.memberId === memberId && (!at || this.active(e, at)));
  }

  async findActive(memberId: string, bankId: string, accountId: string, at: Date): Promise<WhitelistEntry | null> {
    return this.entries.find((e) => e.memberId === memberId && e.bankId === bankId && e.accountId === accountId && this.active(e, at)) ?? null;
  }

  private active(entry: WhitelistEntry, at: Date): boolean {
    return entry.status === 'ACCEPTED' && entry.effectiveFrom <= at && (entry.effectiveTo === null || entry.effectiveTo > at);
  }
}

export class InMemoryDebitCapRepository implements DebitCapRepository {
  readonly caps: DebitCap[] = [];
  /** `capId|sessionId` → used cents. */
  readonly usage = new Map<string, bigint>();

  async setCap(input: { memberId: string; bankId: string; capAmount: string; perTransactionLimit?: string | null; updatedBy: string }): Promise<DebitCap> {
    const existing = this.caps.find((c) => c.memberId === input.memberId && c.bankId === input.bankId);
    const cap: DebitCap = { id: existing?.id ?? randomUUID(), memberId: input.memberId, bankId: input.bankId, capAmount: input.capAmount, perTransactionLimit: input.perTransactionLimit ?? null };
    if (existing) this.caps.splice(this.caps.indexOf(existing), 1, cap);
    else this.caps.push(cap);
    return cap;
  }

  async find(memberId: string, bankId: string): Promise<DebitCap | null> {
    return this.caps.find((c) => c.memberId === memberId && c.bankId === bankId) ?? null;
  }

  async listWithUsage(memberId: string, sessionId: string): Promise<DebitCapWithUsage[]> {
    return this.caps.filter((c) => c.memberId === memberId).map((c) => ({ ...c, sessionId, used: paisaToAmount(this.usage.get(`${c.id}|${sessionId}`) ?? 0n) }));
  }

  async used(capId: string, sessionId: string): Promise<string> {
    return paisaToAmount(this.usage.get(`${capId}|${sessionId}`) ?? 0n);
  }

  async reserve(capId: string, sessionId: string, amount: string): Promise<boolean> {
    const cap = this.caps.find((c) => c.id === capId);
    const used = this.usage.get(`${capId}|${sessionId}`) ?? 0n;
    if (!cap || used + amountToPaisa(amount) > amountToPaisa(cap.capAmount)) return false;
    this.usage.set(`${capId}|${sessionId}`, used + amountToPaisa(amount));
    return true;
  }

  async release(capId: string, sessionId: string, amount: string): Promise<void> {
    const used = this.usage.get(`${capId}|${sessionId}`) ?? 0n;
    this.usage.set(`${capId}|${sessionId}`, used > amountToPaisa(amount) ? used - amountToPaisa(amount) : 0n);
  }
}

interface StoredBatch {
  record: BatchRecord;
  answer: StoredAnswer;
  reservation: NewBatch['reservation'];
}

/**
 * Batches as the Prisma adapter keeps them: `record` claims (member, batchId) once, reserves the
 * cap through the debit-cap fake, stores the decided answer and its outbox events together.
 */
export class InMemoryBatchRepository implements BatchRepository {
  readonly batches: StoredBatch[] = [];
  readonly outbox: OutboxEventRow[] = [];
  private nextId = 1n;

  constructor(
    private readonly caps: InMemoryDebitCapRepository,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async findAnswer(memberId: string, batchId: string): Promise<StoredAnswer | null> {
    return this.find(memberId, batchId)?.answer ?? null;
  }

  async record(batch: NewBatch, decide: (ids: RecordedBatchIds) => BatchDecision): Promise<RecordBatchResult> {
    const existing = this.find(batch.memberId, batch.batchId);
    if (existing) return { kind: 'duplicate', existing: existing.answer };
    const batchRowId = this.nextId++;
    const transactionIds = batch.transactions.map(() => this.nextId++);
    const reserving = !batch.refusal && batch.reservation !== null;
    const reserved = reserving ? await this.caps.reserve(batch.reservation!.capId, batch.reservation!.sessionId, batch.reservation!.amount) : null;
    const decision = decide({ batchRowId, transactionIds, reserved });
    const accepted = decision.status === 'ACCEPTED';
    this.batches.push({
      answer: { requestHash: batch.requestHash, httpStatus: decision.httpStatus, responseBody: decision.responseBody },
      reservation: accepted ? batch.reservation : null,
      record: {
        id: batchRowId,
        memberId: batch.memberId,
        batchId: batch.batchId,
        kind: batch.kind,
        status: decision.status,
        debtorAgent: batch.debtorAgent,
        debtorBranch: batch.debtorBranch,
        debtorAccount: batch.debtorAccount,
        debtorName: batch.debtorName,
        batchAmount: batch.batchAmount,
        batchCurrency: batch.batchCurrency,
        categoryPurpose: batch.categoryPurpose,
        batchCount: batch.transactions.length,
        capId: accepted ? (batch.reservation?.capId ?? null) : null,
        settlementSessionId: accepted ? (batch.reservation?.sessionId ?? null) : null,
        responseCode: decision.responseCode,
        responseMessage: decision.responseMessage,
        debitStatus: decision.debitStatus,
        userId: batch.userId,
        createdAt: this.now(),
        transactions: batch.transactions.map((t, index) => ({
          id: transactionIds[index],
          instructionId: t.instructionId,
          endToEndId: t.endToEndId,
          amount: t.amount,
          purpose: t.purpose,
          creditorAgent: t.creditorAgent,
          creditorBranch: t.creditorBranch,
          creditorName: t.creditorName,
          creditorAccount: t.creditorAccount,
          creditStatus: decision.creditStatus,
          chargeAmount: t.chargeAmount ?? '0.00',
          appId: t.appId ?? null,
          responseCode: decision.transactionResponseCode,
          responseMessage: decision.transactionResponseMessage,
          updatedAt: this.now(),
        })),
      },
    });
    this.outbox.push(...decision.events);
    return { kind: 'recorded', httpStatus: decision.httpStatus, responseBody: decision.responseBody, batchRowId, status: decision.status };
  }

  async findByBatchId(memberId: string, batchId: string, kinds: readonly BatchKind[]): Promise<BatchRecord | null> {
    const stored = this.find(memberId, batchId);
    return stored && kinds.includes(stored.record.kind) ? stored.record : null;
  }

  async listByDate(memberId: string, from: Date, to: Date, kinds: readonly BatchKind[], limit = 1000): Promise<BatchRecord[]> {
    return this.batches
      .map((b) => b.record)
      .filter((r) => r.memberId === memberId && kinds.includes(r.kind) && r.createdAt >= from && r.createdAt < to)
      .slice(0, limit);
  }

  async findById(batchRowId: bigint): Promise<BatchRecord | null> {
    return this.batches.find((b) => b.record.id === batchRowId)?.record ?? null;
  }

  async settle(
    batchRowId: bigint,
    outcome: (record: BatchRecord) => { statuses: Map<bigint, CreditOutcome>; events: OutboxEventRow[] },
  ): Promise<number> {
    const stored = this.batches.find((b) => b.record.id === batchRowId);
    if (!stored) return 0;
    const open = stored.record.transactions.filter((t) => t.creditStatus !== 'ACSC' && t.creditStatus !== 'RJCT');
    if (open.length === 0) return 0;
    const { statuses, events } = outcome({ ...stored.record, transactions: open });
    for (const transaction of open) {
      const status = statuses.get(transaction.id);
      if (!status) continue;
      Object.assign(transaction, status);
      if (status.creditStatus === 'RJCT' && stored.reservation) await this.caps.release(stored.reservation.capId, stored.reservation.sessionId, transaction.amount);
    }
    this.outbox.push(...events);
    return open.length;
  }

  async reverse(batchRowId: bigint, events: readonly OutboxEventRow[]): Promise<boolean> {
    const stored = this.batches.find((b) => b.record.id === batchRowId);
    if (!stored || stored.record.status !== 'ACCEPTED') return false;
    stored.record.status = 'REVERSED';
    for (const transaction of stored.record.transactions) transaction.creditStatus = 'RJCT';
    if (stored.reservation) await this.caps.release(stored.reservation.capId, stored.reservation.sessionId, stored.record.batchAmount);
    this.outbox.push(...events);
    return true;
  }

  async acceptedTotal(capId: string, sessionId: string): Promise<string> {
    const total = this.batches
      .filter((b) => b.record.status === 'ACCEPTED' && b.record.capId === capId && b.record.settlementSessionId === sessionId)
      .reduce((sum, b) => sum + amountToPaisa(b.record.batchAmount), 0n);
    return paisaToAmount(total);
  }

  private find(memberId: string, batchId: string): StoredBatch | undefined {
    return this.batches.find((b) => b.record.memberId === memberId && b.record.batchId === batchId);
  }
}

/** Bills prepared by NPI Billers sessions, keyed by (participant, batchId); confirmed once. */
export class InMemoryPreparedBillRepository implements PreparedBillRepository {
  readonly bills: PreparedBill[] = [];

  async remember(bill: Omit<PreparedBill, 'confirmedAt'>): Promise<void> {
    if (!(await this.find(bill.participantCode, bill.batchId))) this.bills.push({ ...bill, confirmedAt: null });
  }

  async find(participantCode: string, batchId: string): Promise<PreparedBill | null> {
    return this.bills.find((b) => b.participantCode === participantCode && b.batchId === batchId) ?? null;
  }

  async markConfirmed(participantCode: string, batchId: string, at: Date): Promise<boolean> {
    const bill = await this.find(participantCode, batchId);
    if (!bill || bill.confirmedAt) return false;
    bill.confirmedAt = at;
    return true;
  }
}

/** The ports of the batch and registry rules over one in-memory state (the batches reserve through `caps`). */
/** The one-round-trip read of a transaction request, answered by the other fakes (the same rows). */
export class InMemoryPaymentContextRepository implements PaymentContextRepository {
  constructor(private readonly ports: { members: MemberRepository; batches: BatchRepository; whitelist: WhitelistRepository; caps: DebitCapRepository }) {}

  async read(query: PaymentContextQuery): Promise<PaymentContext> {
    const member = await this.ports.members.findByUserId(query.userId);
    if (!member) return { member: null, certificates: [], previousAnswer: null, whitelisted: false, cap: null };
    return {
      member,
      certificates: await this.ports.members.activeCertificates(member.id, query.at),
      previousAnswer: await this.ports.batches.findAnswer(member.id, query.batchId),
      whitelisted: (await this.ports.whitelist.findActive(member.id, query.debtorAgent, query.debtorAccount, query.at)) !== null,
      cap: await this.ports.caps.find(member.id, query.debtorAgent),
    };
  }
}

export function inMemoryPaymentPorts(now: () => Date) {
  const caps = new InMemoryDebitCapRepository();
  const ports = {
    members: new InMemoryMemberRepository(),
    banks: new InMemoryBankRepository(),
    whitelist: new InMemoryWhitelistRepository(),
    caps,
    batches: new InMemoryBatchRepository(caps, now),
  };
  return { ...ports, contexts: new InMemoryPaymentContextRepository(ports) };
}

/**
 * The NCHL directory: `apply` replaces each listed bank (with its branches), app's slabs and bank's
 * limits whole and keeps the events; reads answer in the adapter's order.
 */
export class InMemoryDirectoryRepository implements DirectoryRepository {
  readonly banksById = new Map<string, DirectoryBank>();
  readonly slabsByApp = new Map<string, ChargeSlab[]>();
  readonly limitsByBank = new Map<string, AutoReleaseLimit[]>();
  readonly outbox: OutboxEventRow[] = [];

  constructor(slabs: readonly ChargeSlab[] = []) {
    for (const slab of slabs) this.slabsByApp.set(slab.appId, [...(this.slabsByApp.get(slab.appId) ?? []), slab]);
  }

  async isEmpty(): Promise<boolean> {
    return this.banksById.size === 0;
  }

  async apply(change: DirectoryChange, events: readonly OutboxEventRow[]): Promise<void> {
    for (const bankId of change.removedBankIds ?? []) {
      this.banksById.delete(bankId);
      this.limitsByBank.delete(bankId);
    }
    for (const bank of change.banks ?? []) this.banksById.set(bank.bankId, { ...bank, branches: [...bank.branches] });
    for (const { appId, slabs } of change.chargeSlabs ?? []) this.slabsByApp.set(appId, slabs.map((slab) => ({ appId, ...slab })));
    for (const { bankId, limits } of change.autoReleaseLimits ?? []) this.limitsByBank.set(bankId, limits.map((limit) => ({ bankId, ...limit })));
    this.outbox.push(...events);
  }

  async banks(flag?: DirectoryBankFlag): Promise<Omit<DirectoryBank, 'branches'>[]> {
    return this.sortedBanks()
      .filter((bank) => !flag || bank[flag])
      .map(({ branches: _branches, ...bank }) => bank);
  }

  async bank(bankId: string): Promise<DirectoryBank | null> {
    const bank = this.banksById.get(bankId);
    return bank ? { ...bank, branches: [...bank.branches].sort((a, b) => a.branchId.localeCompare(b.branchId)) } : null;
  }

  async branches(filter: { bankId?: string; flag?: 'cipsEnabled' | 'ipsEnabled' }): Promise<Branch[]> {
    return this.sortedBanks()
      .filter((bank) => (!filter.bankId || bank.bankId === filter.bankId) && (!filter.flag || bank[filter.flag]))
      .flatMap((bank) => [...bank.branches].sort((a, b) => a.branchId.localeCompare(b.branchId)).map((branch) => ({ bankId: bank.bankId, ...branch })));
  }

  async chargeSlabs(appId?: string): Promise<ChargeSlab[]> {
    return [...this.slabsByApp]
      .filter(([id]) => !appId || id === appId)
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([, slabs]) => [...slabs].sort((a, b) => (amountToPaisa(a.maxAmount) < amountToPaisa(b.maxAmount) ? -1 : amountToPaisa(a.maxAmount) > amountToPaisa(b.maxAmount) ? 1 : 0)));
  }

  async autoReleaseLimits(bankId?: string): Promise<(AutoReleaseLimit & { bankName: string })[]> {
    return [...this.limitsByBank]
      .filter(([id]) => !bankId || id === bankId)
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([id, limits]) =>
        [...limits].sort((a, b) => a.categoryPurpose.localeCompare(b.categoryPurpose)).map((limit) => ({ ...limit, bankName: this.banksById.get(id)?.bankName ?? id })),
      );
  }

  private sortedBanks(): DirectoryBank[] {
    return [...this.banksById.values()].sort((a, b) => a.bankId.localeCompare(b.bankId));
  }
}
