import { randomUUID } from 'node:crypto';
import pino from 'pino';
import type { OutboxRelay } from '@npi/database';
import type { ApiCallRecord, ApiCallRepository, NewApiCall, OutboxEventRow } from '@npi/hcx/data-access';
import { ManualClock } from '@npi/service-runtime';
import type { ApiKeyPrincipal } from '../api-keys/api-key-verifier';
import type { CachedParticipant } from '../registry/participant-cache';
import { protocolApiOf } from './apis';
import type { ProtocolApi } from './apis';
import { ProtocolService } from './protocol.service';

/** The acceptance rules of protocol calls, with in-memory fakes of the participant cache, the api-call repository and the outbox. */

class InMemoryApiCalls {
  readonly accepted: { call: NewApiCall; event: OutboxEventRow }[] = [];
  readonly records: ApiCallRecord[] = [];

  async accept(call: NewApiCall, event: OutboxEventRow): Promise<'accepted' | 'duplicate'> {
    if (this.accepted.some((a) => a.call.senderCode === call.senderCode && a.call.apiCallId === call.apiCallId)) return 'duplicate';
    this.accepted.push({ call, event });
    return 'accepted';
  }

  async findOriginalRequest(correlationId: string, participantCode: string): Promise<ApiCallRecord | null> {
    return this.records.find((r) => r.correlationId === correlationId && (r.senderCode === participantCode || r.recipientCode === participantCode)) ?? null;
  }
}

function participant(code: string, roles: string[], status: CachedParticipant['status'] = 'Active'): CachedParticipant {
  return { participantCode: code, name: code, roles, status, endpointUrl: `https://${code}.example`, secretVersion: 1, hmacKey: new Uint8Array(32) };
}

const NOW = new Date('2026-12-06T10:00:00Z');

function jwe(headers: Record<string, unknown>): { payload: string } {
  const protectedHeader = Buffer.from(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', ...headers })).toString('base64url');
  return { payload: `${protectedHeader}.a2V5.aXY.Y2lwaGVy.dGFn` };
}

function headersOf(sender: string, recipient: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    'x-hcx-sender_code': sender,
    'x-hcx-recipient_code': recipient,
    'x-hcx-api_call_id': randomUUID(),
    'x-hcx-correlation_id': randomUUID(),
    'x-hcx-timestamp': NOW.getTime(),
    ...extra,
  };
}

describe('ProtocolService (acceptance rules)', () => {
  const check = protocolApiOf('/coverageeligibility/check') as ProtocolApi;
  const onCheck = protocolApiOf('/coverageeligibility/on_check') as ProtocolApi;
  const provider: ApiKeyPrincipal = { participantCode: 'hosp@hcx' } as ApiKeyPrincipal;
  let apiCalls: InMemoryApiCalls;
  let nudges: number;
  let service: ProtocolService;

  beforeEach(() => {
    const directory = new Map(
      [participant('hosp@hcx', ['provider']), participant('payor@hcx', ['payor']), participant('blocked@hcx', ['payor'], 'Blocked'), participant('clinic@hcx', ['provider'])].map((p) => [p.participantCode, p]),
    );
    apiCalls = new InMemoryApiCalls();
    nudges = 0;
    service = new ProtocolService(
      { get: async (code: string) => directory.get(code) ?? null },
      apiCalls as unknown as ApiCallRepository,
      { nudge: () => void (nudges += 1) } as unknown as OutboxRelay,
      new ManualClock(NOW),
      pino({ level: 'silent' }),
      { HCX_TIMESTAMP_MAX_AGE_SECONDS: 300, HCX_CLOCK_SKEW_SECONDS: 30 },
      { timeStage: (_stage, _path, work) => work() },
    );
  });

  const code = (promise: Promise<unknown>) => promise.then(() => 'accepted', (error: { code?: string }) => error.code);

  it('accepts a provider-to-payor request, records it with its routed event keyed by correlation id, and wakes the outbox', async () => {
    const headers = headersOf('hosp@hcx', 'payor@hcx');
    const answer = await service.accept(check, jwe(headers), provider);
    expect(answer).toEqual({ timestamp: String(NOW.getTime()), api_call_id: headers['x-hcx-api_call_id'], correlation_id: headers['x-hcx-correlation_id'] });
    expect(apiCalls.accepted).toHaveLength(1);
    expect(apiCalls.accepted[0].call).toMatchObject({ senderCode: 'hosp@hcx', recipientCode: 'payor@hcx', apiPath: '/coverageeligibility/check' });
    expect(apiCalls.accepted[0].event).toMatchObject({ topic: 'hcx.request.routed.v1', key: headers['x-hcx-correlation_id'] });
    expect(nudges).toBe(1);
  });

  it('refuses a sender speaking for another participant than its API key', async () => {
    expect(await code(service.accept(check, jwe(headersOf('clinic@hcx', 'payor@hcx')), provider))).toBe('ERR_ACCESS_FORBIDDEN');
  });

  it('refuses roles the API does not allow, inactive or unknown recipients, and sending to oneself', async () => {
    const payor: ApiKeyPrincipal = { participantCode: 'payor@hcx' } as ApiKeyPrincipal;
    expect(await code(service.accept(check, jwe(headersOf('payor@hcx', 'hosp@hcx')), payor))).toBe('ERR_INVALID_SENDER');
    expect(await code(service.accept(check, jwe(headersOf('hosp@hcx', 'clinic@hcx')), provider))).toBe('ERR_INVALID_RECIPIENT');
    expect(await code(service.accept(check, jwe(headersOf('hosp@hcx', 'blocked@hcx')), provider))).toBe('ERR_INVALID_RECIPIENT');
    expect(await code(service.accept(check, jwe(headersOf('hosp@hcx', 'nobody@hcx')), provider))).toBe('ERR_INVALID_RECIPIENT');
    expect(await code(service.accept(check, jwe(headersOf('hosp@hcx', 'hosp@hcx')), provider))).toBe('ERR_INVALID_RECIPIENT');
    expect(apiCalls.accepted).toEqual([]);
  });

  it('refuses a replayed api_call_id of the same sender', async () => {
    const headers = headersOf('hosp@hcx', 'payor@hcx');
    await service.accept(check, jwe(headers), provider);
    expect(await code(service.accept(check, jwe({ ...headers, 'x-hcx-correlation_id': randomUUID() }), provider))).toBe('ERR_INVALID_API_CALL_ID');
    expect(apiCalls.accepted).toHaveLength(1);
  });

  it('refuses a stale timestamp and a plain-JSON body on a request API', async () => {
    expect(await code(service.accept(check, jwe(headersOf('hosp@hcx', 'payor@hcx', { 'x-hcx-timestamp': NOW.getTime() - 301_000 })), provider))).toBe('ERR_INVALID_TIMESTAMP');
    expect(await code(service.accept(check, headersOf('hosp@hcx', 'payor@hcx', { 'x-hcx-status': 'response.error' }), provider))).toBe('ERR_INVALID_PAYLOAD');
  });

  it('takes a plain-JSON response.error on a callback only with its error details', async () => {
    const payor: ApiKeyPrincipal = { participantCode: 'payor@hcx' } as ApiKeyPrincipal;
    const bare = headersOf('payor@hcx', 'hosp@hcx', { 'x-hcx-status': 'response.error' });
    expect(await code(service.accept(onCheck, bare, payor))).toBe('ERR_INVALID_ERROR_DETAILS');
    const detailed = { ...bare, 'x-hcx-api_call_id': randomUUID(), 'x-hcx-error_details': { code: 'ERR_DOMAIN_PROCESSING', message: 'not covered', trace: '' } };
    expect(await code(service.accept(onCheck, detailed, payor))).toBe('accepted');
    expect(apiCalls.accepted[0].event.payload).toMatchObject({ data: { format: 'protocol_response' } });
  });
});
