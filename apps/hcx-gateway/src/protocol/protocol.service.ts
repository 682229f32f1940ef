import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { OUTBOX_RELAY, outboxRow } from '@npi/database';
import type { OutboxRelay } from '@npi/database';
import { API_CALL_REPOSITORY } from '@npi/hcx/data-access';
import type { ApiCallRepository } from '@npi/hcx/data-access';
import type { ServiceMetrics } from '@npi/observability';
import { HcxRequestRoutedV1 } from '@npi/kafka-contracts';
import { CLOCK, LOGGER, SERVICE_CONFIG, SERVICE_METRICS } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import { PARTICIPANT_CACHE, PRODUCER } from '../tokens';
import type { ApiKeyPrincipal } from '../api-keys/api-key-verifier';
import { HcxError, forbidden } from '../errors';
import type { ParticipantCache } from '../registry/participant-cache';
import type { ProtocolApi } from './apis';
import { isProtocolResponse, readProtectedHeader, readProtocolResponse, validateHcxHeaders } from './hcx-headers';
import type { HcxHeaders } from './hcx-headers';

const STATUS_PATH = '/hcx/status';

export interface Accepted {
  /** Unix milliseconds as a string (HCX SuccessResponse). */
  timestamp: string;
  api_call_id: string;
  correlation_id: string;
  /** /hcx/status only: the gateway's own record of the request (StatusResponseObject). */
  result?: StatusResult;
}

export interface StatusResult {
  sender_code: string;
  recipient_code: string;
  entity_type: string;
  protocol_status: 'request.queued' | 'request.dispatched';
}

/**
 * The gateway path of a protocol call: read the JWE protected header (never decrypt), validate the
 * x-hcx-* headers, bind the API key's participant to the sender, check both participants and their
 * roles, then record the call and its routing event in one transaction whose unique
 * (sender_code, api_call_id) refuses replays across every replica.
 */
@Injectable()
export class ProtocolService {
  constructor(
    @Inject(PARTICIPANT_CACHE) private readonly participants: Pick<ParticipantCache, 'get'>,
    @Inject(API_CALL_REPOSITORY) private readonly apiCalls: ApiCallRepository,
    @Inject(OUTBOX_RELAY) private readonly outbox: OutboxRelay,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(SERVICE_CONFIG) private readonly config: Pick<HcxGatewayConfig, 'HCX_TIMESTAMP_MAX_AGE_SECONDS' | 'HCX_CLOCK_SKEW_SECONDS'>,
    /** Times the accept statement (the database-stage histogram). */
    @Inject(SERVICE_METRICS) private readonly metrics: Pick<ServiceMetrics, 'timeStage'>,
  ) {}

  async accept(api: ProtocolApi, body: unknown, principal: ApiKeyPrincipal): Promise<Accepted> {
    const now = this.clock.now();
    const policy = { now, maxAgeSeconds: this.config.HCX_TIMESTAMP_MAX_AGE_SECONDS, maxFutureSeconds: this.config.HCX_CLOCK_SKEW_SECONDS };
    let payload: string;
    let header: Record<string, unknown>;
    let headers: HcxHeaders;
    const format = isProtocolResponse(body) ? 'protocol_response' : 'jwe';
    if (format === 'protocol_response') {
      if (!api.isCallback) throw new HcxError('ERR_INVALID_PAYLOAD', 'a plain-JSON ProtocolResponse is accepted only on on_* APIs; requests need {"payload": "<JWE>"}');
      header = readProtocolResponse(body as Record<string, unknown>);
      headers = validateHcxHeaders(header, api, policy, 'protocol_response');
      if (headers.status !== 'response.error' && headers.status !== 'response.redirect') {
        throw new HcxError('ERR_INVALID_STATUS', 'a plain-JSON ProtocolResponse carries x-hcx-status response.error or response.redirect; other answers need the JWE payload');
      }
      if (headers.status === 'response.error' && !headers.errorDetails) throw new HcxError('ERR_INVALID_ERROR_DETAILS', 'x-hcx-error_details is required with response.error');
      payload = JSON.stringify(header);
    } else {
      ({ payload, header } = readProtectedHeader(body));
      headers = validateHcxHeaders(header, api, policy);
    }
    // seed 002: the API key identifies the calling system; it may only speak as itself.
    if (headers.senderCode !== principal.participantCode) throw forbidden('x-hcx-sender_code does not match the API key');
    await this.checkParticipants(api, headers);
    let result: StatusResult | undefined;
    if (api.path === STATUS_PATH) {
      result = await this.statusOf(headers);
      // The spec: while the request is queued the gateway answers alone; there is no on_status.
      if (result.protocol_status === 'request.queued') return { timestamp: String(now.getTime()), api_call_id: headers.apiCallId, correlation_id: headers.correlationId, result };
    }

    const id = randomUUID();
    const event = outboxRow(
      HcxRequestRoutedV1,
      {
        requestId: id,
        apiPath: api.path,
        senderCode: headers.senderCode,
        recipientCode: headers.recipientCode,
        apiCallId: headers.apiCallId,
        correlationId: headers.correlationId,
        ...(headers.workflowId ? { workflowId: headers.workflowId } : {}),
        payload,
        ...(format === 'protocol_response' ? { format } : {}),
        acceptedAt: now.toISOString(),
      },
      { producer: PRODUCER, key: headers.correlationId, correlationId: headers.correlationId },
    );
    let outcome: 'accepted' | 'duplicate';
    try {
      outcome = await this.metrics.timeStage('database', 'hcx.accept', () => this.apiCalls.accept(
        {
          id,
          senderCode: headers.senderCode,
          recipientCode: headers.recipientCode,
          apiCallId: headers.apiCallId,
          correlationId: headers.correlationId,
          workflowId: headers.workflowId ?? null,
          apiPath: api.path,
          hcxStatus: headers.status ?? null,
          headers: auditHeaders(header),
          acceptedAt: now,
        },
        event,
      ));
    } catch (error) {
      this.logger.error({ err: error, apiCallId: headers.apiCallId }, 'could not record protocol request');
      throw new HcxError('ERR_SERVICE_UNAVAILABLE', 'the gateway could not accept the request; retry later');
    }
    if (outcome === 'duplicate') throw new HcxError('ERR_INVALID_API_CALL_ID', 'x-hcx-api_call_id was already used by this sender');
    this.outbox.nudge();
    return { timestamp: String(now.getTime()), api_call_id: headers.apiCallId, correlation_id: headers.correlationId, ...(result ? { result } : {}) };
  }

  /**
   * /hcx/status from the gateway's own records: the originating request of the correlation id that
   * the caller sent or received. `request.queued` = not yet delivered (answered here, not forwarded);
   * `request.dispatched` = delivered, so the status call goes on to the other party, which answers
   * with /hcx/on_status. A request the gateway gave up on (dead letter) is closed.
   */
  private async statusOf(headers: HcxHeaders): Promise<StatusResult> {
    const original = await this.apiCalls.findOriginalRequest(headers.correlationId, headers.senderCode);
    if (!original) throw new HcxError('ERR_INVALID_CORRELATION_ID', 'no request with this x-hcx-correlation_id was sent to or by you');
    if (original.deliveryStatus === 'dead_lettered') throw new HcxError('ERR_INVALID_CORRELATION_ID', 'the request of this x-hcx-correlation_id is closed: it could not be delivered');
    const otherParty = original.senderCode === headers.senderCode ? original.recipientCode : original.senderCode;
    if (headers.recipientCode !== otherParty) throw new HcxError('ERR_INVALID_RECIPIENT', 'x-hcx-recipient_code must be the other party of the request');
    return {
      sender_code: original.senderCode,
      recipient_code: original.recipientCode,
      entity_type: original.apiPath.split('/')[1],
      protocol_status: original.deliveryStatus === 'delivered' ? 'request.dispatched' : 'request.queued',
    };
  }

  private async checkParticipants(api: ProtocolApi, headers: HcxHeaders): Promise<void> {
    const sender = await this.participants.get(headers.senderCode);
    if (!sender || sender.status !== 'Active') throw new HcxError('ERR_INVALID_SENDER', 'sender is not an active participant');
    if (!fits(sender.roles, api.senderRoles)) throw new HcxError('ERR_INVALID_SENDER', `sender's roles may not call ${api.path}`);
    if (headers.recipientCode === headers.senderCode) throw new HcxError('ERR_INVALID_RECIPIENT', 'recipient is the sender');
    const recipient = await this.participants.get(headers.recipientCode);
    if (!recipient || recipient.status !== 'Active') throw new HcxError('ERR_INVALID_RECIPIENT', 'recipient is not an active participant');
    if (!fits(recipient.roles, api.recipientRoles)) throw new HcxError('ERR_INVALID_RECIPIENT', `recipient's roles may not receive ${api.path}`);
    if (headers.redirectTo) {
      const target = await this.participants.get(headers.redirectTo);
      if (!target || target.status !== 'Active') throw new HcxError('ERR_INVALID_REDIRECT_TO', 'x-hcx-redirect_to is not an active participant');
    }
  }
}

function fits(roles: readonly string[], allowed: readonly string[] | 'any'): boolean {
  return allowed === 'any' || roles.some((role) => allowed.includes(role));
}

/** Only the protocol headers go to the audit table: x-hcx-*, alg, enc (never the payload). */
function auditHeaders(header: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(header).filter(([name]) => name.startsWith('x-hcx-') || name === 'alg' || name === 'enc'));
}
