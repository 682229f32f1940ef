/**
 * `npi sign`, `npi post-batch`, `npi report`: NCHL's token string, signed with the member's PFX
 * (SHA256withRSA), posted with an OAuth access token, and NPI's signed answer verified with NPI's
 * certificate. Defaults: the demo member of `npm start`.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { Command } from 'commander';
import {
  buildBillersConfirmTokenString,
  buildNonRealTimeTokenString,
  buildRealTimeTokenString,
  buildResponseTokenString,
  createVerifier,
  loadSigner,
} from '@npi/signature-token';
import type { BillersConfirmRequest, NonRealTimeRequest, RealTimeRequest, Signer, TransactionResponseBody } from '@npi/signature-token';
import { PaymentClient } from '../clients/payment-client';
import type { NchlAnswer, ReportQuery } from '../clients/payment-client';
import { readFileOption } from '../context';
import type { CliContext } from '../context';
import { CliError, usageError } from '../errors';
import { batchFromJson, batchesFromRows, parseCsv } from '../npi/batch-file';
import type { BatchKind, PlannedBatch } from '../npi/batch-file';
import { createProgress } from '../npi/progress';
import { action } from './action';
import { memberAccessToken } from './oauth';

interface SignerOptions {
  pfx?: string;
  passphraseFile?: string;
  passphrase?: string;
  userId?: string;
}

interface MemberOptions extends SignerOptions {
  clientId?: string;
  clientSecret?: string;
  username?: string;
  password?: string;
  accessToken?: string;
}

function memberSigner(ctx: CliContext, options: SignerOptions): { signer: Signer; userId: string } {
  const demo = () => ctx.section('payment-service', '--pfx, --passphrase-file and --user-id');
  const pfx = readFileOption(options.pfx ?? demo().pfxFile, 'PFX');
  const passphrase = options.passphrase ?? (options.passphraseFile ? readFileOption(options.passphraseFile, 'passphrase file').toString('utf8').trim() : demo().pfxPassphrase);
  const userId = options.userId ?? demo().userId;
  try {
    return { signer: loadSigner(pfx, passphrase), userId };
  } catch (error) {
    throw new CliError((error as { code?: string }).code ?? 'ERR_PFX_INVALID', `cannot use the PFX: ${(error as Error).message}`, 'check --pfx and its passphrase (--passphrase-file); the key must be RSA >= 2048 bits');
  }
}

/** NCHL's token string of a body, by its shape. */
export function tokenStringOf(body: Record<string, unknown>, userId: string): { kind: BatchKind | 'billers-confirm'; tokenString: string } {
  if ('cipsTransactionDetail' in body) return { kind: 'billers-confirm', tokenString: buildBillersConfirmTokenString(body as unknown as BillersConfirmRequest, userId) };
  const planned = batchFromJson(body);
  return planned.kind === 'real-time'
    ? { kind: 'real-time', tokenString: buildRealTimeTokenString(planned.body as unknown as RealTimeRequest, userId) }
    : { kind: 'non-real-time', tokenString: buildNonRealTimeTokenString(planned.body as unknown as NonRealTimeRequest, userId) };
}

function readJson(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileOption(file, 'batch file').toString('utf8')) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError('ERR_BATCH_FILE_INVALID', `${file} is not JSON: ${(error as Error).message}`, 'give an NCHL batch body as JSON, or a .csv file');
  }
}

function signed<T>(what: () => T): T {
  try {
    return what();
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code?.startsWith('ERR_')) throw new CliError(code, (error as Error).message, 'fix the field named in the message; NCHL field names and formats are in docs/npi-reference.md');
    throw error;
  }
}

export interface PostedBatch {
  kind: BatchKind;
  batchId: string;
  transactions: number;
  httpStatus: number;
  responseCode: string | undefined;
  responseMessage: string | undefined;
  debitStatus: string | null | undefined;
  accepted: boolean;
  answerSignature: 'verified' | 'absent';
  answer: Record<string, unknown>;
}

function summarise(planned: PlannedBatch, answer: NchlAnswer, signature: PostedBatch['answerSignature']): PostedBatch {
  const detail = (planned.body.cipsBatchDetail ?? planned.body.nchlIpsBatchDetail) as { batchId: string };
  const list = (planned.body.cipsTransactionDetailList ?? planned.body.nchlIpsTransactionDetailList) as unknown[];
  const batch = answer.body.cipsBatchResponse as { responseCode?: string; responseMessage?: string; debitStatus?: string | null } | undefined;
  const responseCode = batch?.responseCode ?? (answer.body.responseCode as string | undefined);
  return {
    kind: planned.kind,
    batchId: detail.batchId,
    transactions: list.length,
    httpStatus: answer.status,
    responseCode,
    responseMessage: batch?.responseMessage ?? (answer.body.responseMessage as string | undefined) ?? (answer.body.responseDescription as string | undefined),
    debitStatus: batch?.debitStatus,
    accepted: answer.status === 200 && responseCode === '000',
    answerSignature: signature,
    answer: answer.body,
  };
}

/**
 * NPI signs every answer that names a batch, refusals too (over `batchId,responseCode,`); one that
 * does not verify is refused (fail closed).
 */
function verifyAnswer(answer: NchlAnswer, certificatePem: string, batchId: string): PostedBatch['answerSignature'] {
  const token = answer.body.token;
  if (typeof token !== 'string') return 'absent';
  const signed: TransactionResponseBody | undefined = answer.body.cipsBatchResponse
    ? (answer.body as unknown as TransactionResponseBody)
    : typeof answer.body.responseCode === 'string'
      ? { cipsBatchResponse: { batchId, responseCode: answer.body.responseCode, debitStatus: null } }
      : undefined;
  if (!signed) return 'absent';
  try {
    createVerifier().verify(buildResponseTokenString(signed), token, certificatePem);
    return 'verified';
  } catch (error) {
    throw new CliError('ERR_ANSWER_SIGNATURE_INVALID', `NPI's answer token does not verify with NPI's certificate: ${(error as Error).message}`, 'do not trust this answer; check --payment-url / --npi-cert (the certificate is GET /api/npi-certificate)', answer.body);
  }
}

function plan(ctx: CliContext, file: string, options: { mode?: string; batchId?: string; categoryPurpose?: string; debtorAgent?: string; debtorBranch?: string; debtorAccount?: string; debtorName?: string }): PlannedBatch[] {
  if (options.mode && options.mode !== 'real-time' && options.mode !== 'non-real-time') throw usageError('--mode must be real-time or non-real-time', 'pass --mode real-time or --mode non-real-time');
  if (path.extname(file).toLowerCase() === '.csv') {
    const rows = parseCsv(readFileOption(file, 'batch file').toString('utf8'));
    const demo = () => ctx.section('payment-service', '--debtor-agent, --debtor-branch and --debtor-account');
    const kind = (options.mode as BatchKind | undefined) ?? (rows.length === 1 ? 'real-time' : 'non-real-time');
    return batchesFromRows(rows, kind, {
      batchId: options.batchId ?? `P${Date.now().toString(36).toUpperCase()}${randomBytes(2).toString('hex').toUpperCase()}`,
      debtorAgent: options.debtorAgent ?? demo().debtorAgent,
      debtorBranch: options.debtorBranch ?? demo().debtorBranch,
      debtorAccount: options.debtorAccount ?? demo().debtorAccount,
      debtorName: options.debtorName ?? 'Demo member',
      categoryPurpose: options.categoryPurpose,
    });
  }
  const planned = batchFromJson(readJson(file));
  if (options.mode && options.mode !== planned.kind) throw usageError(`the JSON is a ${planned.kind} body, not ${options.mode}`, 'drop --mode for JSON files: the body decides');
  return [planned];
}

async function postBatches(ctx: CliContext, file: string, options: MemberOptions & { mode?: string; batchId?: string; categoryPurpose?: string; debtorAgent?: string; debtorBranch?: string; debtorAccount?: string; debtorName?: string; npiCert?: string; progress: boolean; concurrency: number }) {
  const batches = plan(ctx, file, options);
  const { signer, userId } = memberSigner(ctx, options);
  const payment = new PaymentClient(ctx.baseUrl('payment-service'));
  const certificatePem = options.npiCert ? readFileOption(options.npiCert, 'NPI certificate').toString('utf8') : await payment.npiCertificate();
  const accessToken = await memberAccessToken(ctx, options);
  const total = batches.reduce((sum, b) => sum + ((b.body.cipsTransactionDetailList ?? b.body.nchlIpsTransactionDetailList) as unknown[]).length, 0);
  const progress = createProgress(ctx.out.stderr, 'posting', total, options.progress && !ctx.out.json);

  const results: PostedBatch[] = new Array(batches.length);
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < batches.length) {
      const index = next++;
      const planned = batches[index];
      const { tokenString } = signed(() => tokenStringOf(planned.body, userId));
      const answer = await payment.postBatch(planned.kind, accessToken, { ...planned.body, token: signer.sign(tokenString) });
      const batchId = ((planned.body.cipsBatchDetail ?? planned.body.nchlIpsBatchDetail) as { batchId: string }).batchId;
      results[index] = summarise(planned, answer, verifyAnswer(answer, certificatePem, batchId));
      done += results[index].transactions;
      progress.tick(done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, batches.length)) }, worker));
  progress.finish();
  const refused = results.filter((r) => !r.accepted);
  const output = { batches: results, accepted: results.length - refused.length, refused: refused.length, transactions: total };
  ctx.out.result(output, () =>
    [
      ...results.map((r) => `${r.accepted ? 'accepted' : 'REFUSED '} ${r.kind.padEnd(13)} ${r.batchId.padEnd(20)} ${String(r.transactions).padStart(5)} txn  ${r.httpStatus} ${r.responseCode ?? '-'} ${r.responseMessage ?? ''}  answer signature: ${r.answerSignature}`),
      `${output.accepted} accepted, ${output.refused} refused, ${total} transactions`,
    ].join('\n'),
  );
  if (refused.length) {
    const first = refused[0];
    throw new CliError(first.responseCode ?? `HTTP_${first.httpStatus}`, `${refused.length} of ${results.length} batches refused (first: ${first.batchId}: ${first.responseMessage ?? first.httpStatus})`, 'the NCHL response code is explained in docs/npi-reference.md; fix the batch and post it again with a new batchId');
  }
}

const signerOptions = (command: Command) =>
  command
    .option('--pfx <file>', "the member's PFX (default: the demo member's)")
    .option('--passphrase-file <file>', 'file holding the PFX passphrase')
    .option('--user-id <id>', 'NPI user id signed into the token string (the OAuth username)');

const memberOptions = (command: Command) =>
  signerOptions(command)
    .option('--access-token <token>', 'use this OAuth access token instead of a password grant')
    .option('--client-id <id>', 'OAuth client id (default: the demo member)')
    .option('--client-secret <secret>', 'OAuth client secret')
    .option('--username <name>', 'OAuth username')
    .option('--password <password>', 'OAuth password');

export function registerNpi(program: Command): void {
  const npi = program.command('npi').description("NCHL NPI as a member: signature tokens, batches, reports (payment-service)");

  signerOptions(npi.command('sign'))
    .description("NCHL's token string of a request body (real time, non-real time or Billers confirm), signed SHA256withRSA with the PFX")
    .argument('<file.json>', 'the request body as it will be posted')
    .addHelpText('after', '\nExamples:\n  npx npi-partner npi sign batch.json\n  npx npi-partner npi sign batch.json --pfx member.pfx --passphrase-file member.passphrase --user-id MYBANK@999 --json')
    .action(
      action(async (ctx, file: string, options: SignerOptions) => {
        const { signer, userId } = memberSigner(ctx, options);
        const { kind, tokenString } = signed(() => tokenStringOf(readJson(file), userId));
        ctx.out.result({ kind, userId, tokenString, token: signer.sign(tokenString) }, (r) => `kind:         ${kind}\ntoken string: ${tokenString}\ntoken:        ${(r as { token: string }).token}`);
      }),
    );

  memberOptions(npi.command('post-batch'))
    .description('build, sign and post real-time or non-real-time batches (up to 10,000 transactions), then verify NPI\'s signed answers')
    .argument('<file>', 'an NCHL body (.json) or one transaction per row (.csv: instructionId,endToEndId,amount,purpose,creditorAgent,creditorBranch,creditorName,creditorAccount)')
    .option('--mode <mode>', 'CSV only: real-time (one batch per row) or non-real-time (one batch); default: real-time for one row, else non-real-time')
    .option('--batch-id <id>', 'CSV only: batchId (real time: prefix, -<row> appended when several rows)')
    .option('--category-purpose <code>', 'CSV only: categoryPurpose (default ECPG real time, CUST non-real time)')
    .option('--debtor-agent <code>', 'CSV only: debtor bank (default: the demo whitelisted account)')
    .option('--debtor-branch <code>', 'CSV only: debtor branch')
    .option('--debtor-account <account>', 'CSV only: debtor account')
    .option('--debtor-name <name>', 'CSV only: debtor name')
    .option('--npi-cert <file>', "NPI's certificate (default: GET /api/npi-certificate)")
    .option('--concurrency <n>', 'real-time batches posted in parallel', (v) => Number(v), 2)
    .option('--no-progress', 'no progress bar')
    .addHelpText('after', '\nExamples:\n  npx npi-partner npi post-batch payment.csv\n  npx npi-partner npi post-batch salaries.csv --mode non-real-time --batch-id SAL-2026-12\n  npx npi-partner npi post-batch batch.json --json')
    .action(action(async (ctx, file: string, options) => postBatches(ctx, file, options)));

  memberOptions(npi.command('report'))
    .description("NCHL's reporting APIs: a batch, a transaction, or the batches between two dates")
    .option('--batch-id <id>', 'the batch')
    .option('--instruction-id <id>', 'with --batch-id: one transaction')
    .option('--from <date>', 'YYYY-MM-DD, with --to')
    .option('--to <date>', 'YYYY-MM-DD (inclusive, at most 31 days)')
    .option('--non-real-time', 'the non-real-time (nchlips) reports instead of real time (cips)')
    .addHelpText('after', '\nExamples:\n  npx npi-partner npi report --batch-id KHA-198706\n  npx npi-partner npi report --from 2026-12-01 --to 2026-12-06 --non-real-time --json')
    .action(
      action(async (ctx, options: MemberOptions & { batchId?: string; instructionId?: string; from?: string; to?: string; nonRealTime?: boolean }) => {
        let query: ReportQuery;
        if (options.batchId) query = { batchId: options.batchId, ...(options.instructionId ? { instructionId: options.instructionId } : {}) };
        else if (options.from && options.to) query = { txnDateFrom: options.from, txnDateTo: options.to };
        else throw usageError('say which report', 'pass --batch-id [--instruction-id], or --from and --to');
        const accessToken = await memberAccessToken(ctx, options);
        const answer = await new PaymentClient(ctx.baseUrl('payment-service')).report(options.nonRealTime ? 'non-real-time' : 'real-time', accessToken, query);
        if (answer.status !== 200) {
          const body = answer.body as { responseCode?: string; responseMessage?: string; responseDescription?: string };
          throw new CliError(body?.responseCode ?? `HTTP_${answer.status}`, `report refused (${answer.status}): ${body?.responseMessage ?? body?.responseDescription ?? JSON.stringify(body)}`, 'check the batch id, instruction id or dates; a member sees only its own batches', body);
        }
        ctx.out.result(answer.body);
      }),
    );
}
