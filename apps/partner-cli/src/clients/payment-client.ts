/** payment-service over HTTP: NCHL's transaction and reporting APIs, NPI's certificate. */
import { CliError } from '../errors';
import { bearer, httpCall, json } from './http';

export type BatchKind = 'real-time' | 'non-real-time';

export const BATCH_PATHS: Record<BatchKind, string> = {
  'real-time': '/api/postcipsbatch',
  'non-real-time': '/api/postnchlipsbatch',
};

export type ReportQuery = { batchId: string; instructionId?: string } | { txnDateFrom: string; txnDateTo: string };

export interface NchlAnswer {
  status: number;
  body: Record<string, unknown>;
}

export class PaymentClient {
  constructor(private readonly baseUrl: string) {}

  /** NPI's signing certificate, which verifies the `token` of its answers. */
  async npiCertificate(): Promise<string> {
    const answer = await httpCall<{ certificatePem?: string }>(`${this.baseUrl}/api/npi-certificate`);
    if (answer.status !== 200 || !answer.body?.certificatePem) throw new CliError(`HTTP_${answer.status}`, 'payment-service did not return its certificate', 'check --payment-url');
    return answer.body.certificatePem;
  }

  /** The answer as NCHL shapes it; refusals (4xx with a responseCode) are returned, not thrown. */
  async postBatch(kind: BatchKind, accessToken: string, body: unknown): Promise<NchlAnswer> {
    const init = json(body);
    const answer = await httpCall<Record<string, unknown>>(`${this.baseUrl}${BATCH_PATHS[kind]}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...bearer(accessToken) } });
    return { status: answer.status, body: typeof answer.body === 'object' && answer.body ? answer.body : { raw: answer.body } };
  }

  async report(kind: BatchKind, accessToken: string, query: ReportQuery): Promise<NchlAnswer> {
    const family = kind === 'real-time' ? 'cips' : 'nchlips';
    const path = 'txnDateFrom' in query ? `getFAMILYtxnlistbydate` : query.instructionId ? 'getFAMILYtxnbyinstructionid' : 'getFAMILYtxnlistbybatchid';
    const init = json(query);
    const answer = await httpCall<Record<string, unknown>>(`${this.baseUrl}/api/${path.replace('FAMILY', family)}`, { ...init, headers: { ...(init.headers as Record<string, string>), ...bearer(accessToken) } });
    return { status: answer.status, body: answer.body };
  }
}
