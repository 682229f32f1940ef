/**
 * In-memory adapters of the session ports (@npi/session/data-access) for unit specs: the same
 * answers as the Prisma adapters (a session is created once, only a live session takes a bill),
 * without PostgreSQL. The outbox rows prepareBill would write are kept in `events`.
 */
import type {
  BillerRecord,
  BillerRepository,
  BillersSessionRecord,
  BillersSessionRepository,
  ChargeSlabRecord,
  ChargeSlabRepository,
  HostParticipantRepository,
  NewSession,
  OutboxEventRow,
  ParticipantRecord,
  PreparedBill,
} from '@npi/session/data-access';

/** Records by code, copied in and out as a database would. */
class InMemoryRecordsByCode<T extends { code: string }> {
  readonly rows = new Map<string, T>();

  async upsert(record: T): Promise<void> {
    this.rows.set(record.code, structuredClone(record));
  }

  async find(code: string): Promise<T | undefined> {
    const row = this.rows.get(code);
    return row && structuredClone(row);
  }

  async list(): Promise<T[]> {
    return [...this.rows.values()].map((row) => structuredClone(row));
  }
}

export class InMemoryHostParticipantRepository extends InMemoryRecordsByCode<ParticipantRecord> implements HostParticipantRepository {}

export class InMemoryBillerRepository extends InMemoryRecordsByCode<BillerRecord> implements BillerRepository {}

const LIVE: readonly string[] = ['ACTIVE', 'BILL_PREPARED'];

export class InMemoryBillersSessionRepository implements BillersSessionRepository {
  readonly rows = new Map<string, BillersSessionRecord>();
  readonly events: OutboxEventRow[] = [];

  async createIfAbsent(session: NewSession): Promise<boolean> {
    if (this.rows.has(session.sessionId)) return false;
    this.rows.set(session.sessionId, { ...session, state: 'ACTIVE', batchId: null, instructionId: null, billerCode: null, amount: null, completedAt: null });
    return true;
  }

  async find(sessionId: string): Promise<BillersSessionRecord | undefined> {
    const row = this.rows.get(sessionId);
    return row && { ...row };
  }

  async markExpired(sessionId: string, now: Date): Promise<boolean> {
    const row = this.rows.get(sessionId);
    if (!row || !LIVE.includes(row.state) || row.expiresAt.getTime() > now.getTime()) return false;
    row.state = 'EXPIRED';
    return true;
  }

  async prepareBill(sessionId: string, bill: PreparedBill, now: Date, event: OutboxEventRow): Promise<boolean> {
    const row = this.rows.get(sessionId);
    if (!row || !LIVE.includes(row.state) || row.expiresAt.getTime() <= now.getTime()) return false;
    Object.assign(row, { state: 'BILL_PREPARED', ...bill });
    this.events.push(event);
    return true;
  }

  async markCompleted(sessionId: string, batchId: string, now: Date): Promise<boolean> {
    const row = this.rows.get(sessionId);
    if (!row || row.batchId !== batchId || row.state !== 'BILL_PREPARED') return false;
    Object.assign(row, { state: 'COMPLETED', completedAt: now });
    return true;
  }
}

export class InMemoryChargeSlabRepository implements ChargeSlabRepository {
  readonly rows = new Map<string, { slabs: ChargeSlabRecord[]; changedAt: Date }>();

  async replace(appId: string, slabs: readonly ChargeSlabRecord[], changedAt: Date): Promise<void> {
    const stored = this.rows.get(appId);
    if (stored && stored.changedAt.getTime() > changedAt.getTime()) return;
    this.rows.set(appId, { slabs: [...slabs], changedAt });
  }

  async slabsOf(appId: string): Promise<ChargeSlabRecord[]> {
    return [...(this.rows.get(appId)?.slabs ?? [])];
  }
}
