import { Inject, Injectable } from '@nestjs/common';
import type { Logger } from 'pino';
import { BILLER_REPOSITORY, HOST_PARTICIPANT_REPOSITORY, BILLERS_SESSION_REPOSITORY } from '@npi/session/data-access';
import type { BillerRecord, BillerRepository, ParticipantRecord, HostParticipantRepository, BillersSessionRepository } from '@npi/session/data-access';
import { CLOCK, LOGGER, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import type { SessionServiceConfig } from '../config';
import { LaunchTokenRejected } from '../envelope/envelope';
import type { LaunchTokenOpener } from '../envelope/envelope';
import { BillersError } from '../errors';
import type { BillersErrorContext } from '../errors';
import type { PageTokens } from '../page/page-token';
import { LAUNCH_TOKEN_OPENER, PAGE_TOKENS } from '../tokens';
import { validateLaunchQuery } from './launch-params';
import type { LaunchParams } from './launch-params';

export interface LaunchResult {
  params: LaunchParams;
  participant: ParticipantRecord;
  /** What the landing page shows: every enabled biller, one group, or one biller. */
  billers: BillerRecord[];
  expiresAt: Date;
  pageToken: string;
}

/**
 * `GET /billers` (NPI Billers v2, integration section 4): checks every parameter, opens the launch
 * token and creates the session on the first valid load. Every refusal is a BillersError with
 * NCHL's code, in the order documented in the README.
 */
@Injectable()
export class LaunchService {
  constructor(
    @Inject(HOST_PARTICIPANT_REPOSITORY) private readonly participants: HostParticipantRepository,
    @Inject(BILLER_REPOSITORY) private readonly billers: BillerRepository,
    @Inject(BILLERS_SESSION_REPOSITORY) private readonly sessions: BillersSessionRepository,
    @Inject(LAUNCH_TOKEN_OPENER) private readonly opener: LaunchTokenOpener,
    @Inject(PAGE_TOKENS) private readonly pageTokens: PageTokens,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(SERVICE_CONFIG) private readonly config: SessionServiceConfig,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  async launch(query: Record<string, unknown>): Promise<LaunchResult> {
    let params: LaunchParams;
    try {
      params = validateLaunchQuery(query);
    } catch (error) {
      if (error instanceof BillersError) throw await this.withHostContext(error, query);
      throw error;
    }
    const now = this.clock.now();
    const participant = await this.participants.find(params.participantCode);
    if (!participant || participant.status !== 'ACTIVE') throw new BillersError('806');
    const context: BillersErrorContext = {
      sessionId: params.sessionId,
      hostOrigins: participant.hostOrigins,
      displayError: params.displayError,
      lang: params.lang,
      displayMode: params.displayMode,
    };
    if (!participant.channels.includes(params.channel)) throw new BillersError('801', context);

    const billers = await this.visibleBillers(participant, params, context);

    let claims: Record<string, unknown>;
    try {
      claims = await this.opener.open(params.token, participant, now);
    } catch (error) {
      if (error instanceof LaunchTokenRejected) throw new BillersError('800', context, error.reason);
      throw error;
    }
    // Integration section 4.4: the payload must equal the query, field by field.
    if (claims.participant_code !== params.participantCode) throw new BillersError('900', context);
    if (claims.session_id !== params.sessionId) throw new BillersError('901', context);
    if (claims.channel !== params.channel) throw new BillersError('902', context);

    const expiresAt = new Date(now.getTime() + this.config.SESSION_LIFETIME_SECONDS * 1000);
    const created = await this.sessions.createIfAbsent({
      sessionId: params.sessionId,
      participantCode: participant.code,
      channel: params.channel,
      createdAt: now,
      expiresAt,
    });
    if (!created) {
      const existing = await this.sessions.find(params.sessionId);
      if (existing && (existing.state === 'EXPIRED' || existing.expiresAt.getTime() <= now.getTime())) {
        await this.sessions.markExpired(params.sessionId, now);
        throw new BillersError('600', context);
      }
      throw new BillersError('601', context);
    }
    this.logger.info({ participant: participant.code, channel: params.channel, landingPage: params.landingPage }, 'billers session created');
    const pageToken = this.pageTokens.issue({ sid: params.sessionId, pc: participant.code, exp: Math.floor(expiresAt.getTime() / 1000) });
    return { params, participant, billers, expiresAt, pageToken };
  }

  private async visibleBillers(participant: ParticipantRecord, params: LaunchParams, context: BillersErrorContext): Promise<BillerRecord[]> {
    const enabled = new Set(participant.enabledBillers);
    const all = (await this.billers.list()).filter((biller) => biller.enabled && enabled.has(biller.code));
    if (params.landingPage === 'biller_group') {
      const group = params.billerGroup?.toLowerCase();
      const inGroup = all.filter((biller) => biller.group.toLowerCase() === group);
      if (inGroup.length === 0) throw new BillersError('808', context);
      return inGroup;
    }
    if (params.landingPage === 'biller_form') {
      const one = all.find((biller) => biller.code === params.billerCode);
      if (!one) throw new BillersError('809', context);
      return [one];
    }
    return all;
  }

  /** With display_error=host_app the error is posted to the host, so find its origins if the code names one. */
  private async withHostContext(error: BillersError, query: Record<string, unknown>): Promise<BillersError> {
    const code = query.participant_code;
    if (typeof code !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/.test(code)) return error;
    const participant = await this.participants.find(code);
    if (!participant || participant.status !== 'ACTIVE') return error;
    const text = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
    return new BillersError(
      error.code,
      { sessionId: text('session_id'), hostOrigins: participant.hostOrigins, displayError: text('display_error'), lang: text('lang'), displayMode: text('display_mode') },
      error.reason,
    );
  }
}
