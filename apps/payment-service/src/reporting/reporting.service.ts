import { Inject, Injectable } from '@nestjs/common';
import { BATCH_REPOSITORY } from '@npi/payment/data-access';
import type { BatchKind, BatchRecord, BatchRepository } from '@npi/payment/data-access';
import { RecordNotFoundError, ValidationFailedError } from '../domain/errors';
import { transactionReport } from './transaction-report';
import type { ReportFamily } from './transaction-report';
import type { NchlReportByBatchDto, NchlReportByDateDto, NchlReportByInstructionDto } from './reporting.contracts';
import type { MemberPrincipal } from '../domain/principal';
import type { SettlementCalendar } from '../domain/settlement-session';
import { BatchesService } from '../batches/batches.service';
import { SETTLEMENT_CALENDAR } from '../tokens';

const KINDS: Record<ReportFamily, BatchKind[]> = { cips: ['CIPS', 'BILLPAY'], nchlips: ['NCHLIPS'] };
const MAX_DAYS = 31;

/**
 * The reporting APIs (NCHL API specification section 5.5: by date, batch id and instruction id,
 * and their `nchlips` twins): a member sees only its own batches. Every answer is NCHL's
 * transaction object with its batch nested (`transaction-report.ts`): a list for the date and
 * batch queries (empty when nothing matches), one object for the instruction query. Dates are
 * business dates in the settlement time zone (Asia/Kathmandu by default), inclusive, at most 31 days.
 */
@Injectable()
export class ReportingService {
  constructor(
    private readonly batches: BatchesService,
    @Inject(BATCH_REPOSITORY) private readonly repository: BatchRepository,
    @Inject(SETTLEMENT_CALENDAR) private readonly calendar: SettlementCalendar,
  ) {}

  async byDate(family: ReportFamily, principal: MemberPrincipal, { txnDateFrom, txnDateTo }: NchlReportByDateDto) {
    const from = startOfLocalDay(txnDateFrom, this.calendar.timeZone);
    const to = startOfLocalDay(nextDay(txnDateTo), this.calendar.timeZone);
    if (to <= from || to.getTime() - from.getTime() > MAX_DAYS * 86_400_000 + 3_600_000) {
      throw new ValidationFailedError('technical validation failed', undefined, [{ field: 'txnDateTo', message: `txnDateTo must be on or after txnDateFrom, at most ${MAX_DAYS} days` }]);
    }
    const member = await this.batches.memberOf(principal, undefined);
    return (await this.repository.listByDate(member.id, from, to, KINDS[family])).flatMap((batch) => this.transactions(family, batch));
  }

  async byBatchId(family: ReportFamily, principal: MemberPrincipal, { batchId }: NchlReportByBatchDto) {
    const member = await this.batches.memberOf(principal, batchId);
    const batch = await this.repository.findByBatchId(member.id, batchId, KINDS[family]);
    return batch ? this.transactions(family, batch) : [];
  }

  async byInstructionId(family: ReportFamily, principal: MemberPrincipal, { batchId, instructionId }: NchlReportByInstructionDto) {
    const member = await this.batches.memberOf(principal, batchId);
    const batch = await this.repository.findByBatchId(member.id, batchId, KINDS[family]);
    const transaction = batch?.transactions.find((t) => t.instructionId === instructionId);
    if (!batch || !transaction) throw new RecordNotFoundError('record not found: no transaction with this batchId and instructionId', undefined, [{ field: 'instructionId', message: 'not found' }]);
    return transactionReport(family, batch, transaction, this.calendar.timeZone);
  }

  private transactions(family: ReportFamily, batch: BatchRecord) {
    return batch.transactions.map((t) => transactionReport(family, batch, t, this.calendar.timeZone));
  }
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

/** The instant a local calendar day starts in `timeZone` (offset read from Intl at that date). */
export function startOfLocalDay(day: string, timeZone: string): Date {
  const guess = Date.parse(`${day}T00:00:00Z`);
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(guess));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const localAsUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return new Date(guess - (localAsUtc - guess));
}
