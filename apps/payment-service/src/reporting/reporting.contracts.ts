import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';

/** The reporting APIs' request bodies (NCHL API specification section 5.5). */
const businessDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD')
  // A calendar date that exists (2026-13-45 and 2026-02-30 are bad input, not a server error).
  .refine((day) => !Number.isNaN(Date.parse(`${day}T00:00:00Z`)) && new Date(`${day}T00:00:00Z`).toISOString().startsWith(day), 'not a calendar date')
  .describe('business date YYYY-MM-DD in the settlement time zone');

export const reportByDateBody = z.object({ txnDateFrom: businessDate, txnDateTo: businessDate }).describe('txnDateFrom..txnDateTo inclusive, at most 31 days');
export const reportByBatchBody = z.object({ batchId: z.string().min(1).max(20) });
export const reportByInstructionBody = z.object({ batchId: z.string().min(1).max(20), instructionId: z.string().min(1).max(30) });

export class NchlReportByDateDto extends createZodDto(reportByDateBody) {}
export class NchlReportByBatchDto extends createZodDto(reportByBatchBody) {}
export class NchlReportByInstructionDto extends createZodDto(reportByInstructionBody) {}

/** NCHL's request samples (section 5.5). */
export const REPORT_REQUEST_EXAMPLES = {
  byDate: { txnDateFrom: '2018-11-01', txnDateTo: '2018-12-06' },
  byBatch: { batchId: '123456' },
  byInstruction: { batchId: '123456', instructionId: 'instr-123456' },
};
