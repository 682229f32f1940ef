import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { outboxRow } from '@npi/database';
import { BillersBillPreparedV1 } from '@npi/kafka-contracts';
import { BILLER_REPOSITORY, CHARGE_SLAB_REPOSITORY, HOST_PARTICIPANT_REPOSITORY, BILLERS_SESSION_REPOSITORY } from '@npi/session/data-access';
import type { BillerRepository, ChargeSlabRepository, HostParticipantRepository, BillersSessionRepository } from '@npi/session/data-access';
import { CLOCK, LOGGER, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { SessionServiceConfig } from '../config';
import type { NpiObjectSealer } from '../envelope/envelope';
import { PageApiError } from '../errors';
import { NPI_OBJECT_SEALER, PAGE_TOKENS, PRODUCER } from '../tokens';
import { canonicalOrigin, isOriginAllowed } from '@npi/auth-guards';
import { buildNpiObject, validateForm } from './npi-object';
import type { PageTokens } from './page-token';

/** Cookie that carries the page token of one session (one per session, so two tabs do not collide). */
export function pageCookieName(sessionId: string): string {
  return `npib_${createHash('sha256').update(sessionId).digest('hex').slice(0, 16)}`;
}

export interface PageCall {
  sessionId: unknown;
  origin: string | undefined;
  hostOrigin: string | undefined;
  cookies: Record<string, string>;
}

export interface PrepareBillRequest extends PageCall {
  billerCode: unknown;
  fields: unknown;
  lang?: string;
}

/**
 * The calls the Billers page makes back (README "Page API"). Each is refused unless the page token
 * (signed and encrypted, in an HttpOnly cookie) names this session, the browser-set `Origin` is the
 * page's own origin or a registered origin of the session's participant, the host origin the page
 * reports is a registered one, and the session is live (seed 000 sections 3.3 and 3.4).
 */
@Injectable()
export class PageApiService {
  private readonly ownOrigin: string;

  constructor(
    @Inject(HOST_PARTICIPANT_REPOSITORY) private readonly participants: HostParticipantRepository,
    @Inject(BILLER_REPOSITORY) private readonly billers: BillerRepository,
    @Inject(BILLERS_SESSION_REPOSITORY) private readonly sessions: BillersSessionRepository,
    @Inject(CHARGE_SLAB_REPOSITORY) private readonly chargeSlabs: ChargeSlabRepository,
    @Inject(NPI_OBJECT_SEALER) private readonly sealer: NpiObjectSealer,
    @Inject(PAGE_TOKENS) private readonly pageTokens: PageTokens,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) config: SessionServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.ownOrigin = canonicalOrigin(new URL(config.SESSION_PUBLIC_URL).origin) as string;
  }

  async prepareBill(request: PrepareBillRequest): Promise<{ npiObject: string; batchId: string; instructionId: string; amount: string }> {
    const now = this.clock.now();
    const { participant, session } = await this.authorise(request, now);
    if (typeof request.billerCode !== 'string' || !participant.enabledBillers.includes(request.billerCode)) {
      throw new PageApiError('ERR_BILLER_NOT_ALLOWED', 'biller is not enabled for this participant');
    }
    const biller = await this.billers.find(request.billerCode);
    if (!biller || !biller.enabled) throw new PageApiError('ERR_BILLER_NOT_ALLOWED', 'biller is not enabled for this participant');
    const values = validateForm(biller, request.fields);
    // The charge payment-service will take, from NCHL's charge slabs of the biller's app.
    const slabs = await this.chargeSlabs.slabsOf(biller.creditor.appId);
    const bill = buildNpiObject(biller, values, request.lang ?? 'en', now, slabs);
    if (!participant.keys.some((k) => k.use === 'ENC')) throw new PageApiError('ERR_PARTICIPANT_KEY_MISSING', 'participant has no encryption key');
    const sealed = await this.sealer.seal(bill.npiObject, participant, now);
    const event = outboxRow(
      BillersBillPreparedV1,
      {
        participantCode: participant.code,
        sessionId: session.sessionId,
        batchId: bill.batchId,
        instructionId: bill.instructionId,
        endToEndId: bill.endToEndId,
        transactionId: bill.transactionId,
        appId: biller.creditor.appId,
        refId: bill.refId || undefined,
        amount: bill.amount,
        currency: 'NPR',
        billerCode: biller.code,
        creditorAgent: biller.creditor.creditorAgent,
        creditorBranch: biller.creditor.creditorBranch,
        creditorAccount: biller.creditor.creditorAccount,
        expiresAt: session.expiresAt.toISOString(),
      },
      { producer: PRODUCER, key: session.sessionId, occurredAt: now },
    );
    const prepared = await this.sessions.prepareBill(session.sessionId, { batchId: bill.batchId, instructionId: bill.instructionId, billerCode: biller.code, amount: bill.amount }, now, event);
    if (!prepared) throw new PageApiError('ERR_SESSION_EXPIRED', 'session expired');
    this.logger.info({ participant: participant.code, biller: biller.code, batchId: bill.batchId }, 'bill prepared');
    return { npiObject: sealed, batchId: bill.batchId, instructionId: bill.instructionId, amount: bill.amount };
  }

  async status(request: PageCall): Promise<{ state: string; expiresInMs: number }> {
    const now = this.clock.now();
    const { session } = await this.authorise(request, now, true);
    return { state: session.state, expiresInMs: Math.max(0, session.expiresAt.getTime() - now.getTime()) };
  }

  private async authorise(call: PageCall, now: Date, anyState = false) {
    if (typeof call.sessionId !== 'string' || call.sessionId.length > 128) throw new PageApiError('ERR_PAGE_TOKEN_INVALID', 'page token is missing or invalid');
    const claims = this.pageTokens.verify(call.cookies[pageCookieName(call.sessionId)], now);
    if (claims.sid !== call.sessionId) throw new PageApiError('ERR_PAGE_TOKEN_INVALID', 'page token is missing or invalid');
    const participant = await this.participants.find(claims.pc);
    if (!participant || participant.status !== 'ACTIVE') throw new PageApiError('ERR_ORIGIN_NOT_ALLOWED', 'participant is not active');
    // Browser-set Origin: the page itself, or (for a host calling directly) one of its registered origins.
    if (!isOriginAllowed(call.origin, [this.ownOrigin, ...participant.hostOrigins])) throw new PageApiError('ERR_ORIGIN_NOT_ALLOWED', 'origin is not allowed');
    const session = await this.sessions.find(claims.sid);
    if (!session || session.participantCode !== participant.code) throw new PageApiError('ERR_SESSION_NOT_FOUND', 'session not found');
    // The page reports the origin that frames it; only a registered one may drive a web session.
    if (session.channel === 'web' && !isOriginAllowed(call.hostOrigin, participant.hostOrigins)) throw new PageApiError('ERR_ORIGIN_NOT_ALLOWED', 'host origin is not registered');
    if (session.state === 'EXPIRED' || session.expiresAt.getTime() <= now.getTime()) {
      await this.sessions.markExpired(session.sessionId, now);
      throw new PageApiError('ERR_SESSION_EXPIRED', 'session expired');
    }
    if (!anyState && session.state === 'COMPLETED') throw new PageApiError('ERR_SESSION_NOT_ACTIVE', 'session already completed');
    return { participant, session };
  }
}
