import { Controller, Get, Header, Inject, Param, Query, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiExcludeEndpoint, ApiOperation, ApiProduces, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ApiErrorBody, ApiPublic, PlatformErrorDto } from '@npi/api-contracts';
import { Public } from '@npi/auth-guards';
import { CLOCK, RateLimitGuard, SERVICE_CONFIG } from '@npi/service-runtime';
import type { Clock, RateLimitRule } from '@npi/service-runtime';
import { cookieSecure } from '../config';
import type { SessionServiceConfig } from '../config';
import { PAGE_SCRIPT, PAGE_STYLE } from '../page/page-assets';
import { pageContentSecurityPolicy, renderPage } from '../page/page-html';
import { pageCookieName } from '../page/page-api.service';
import { BillersErrorsFilter } from './billers-errors.filter';
import { PARTICIPANT_CODE } from './launch-params';
import { LaunchService } from './launch.service';

const ASSETS: Record<string, { type: string; body: string }> = {
  'page.js': { type: 'text/javascript; charset=utf-8', body: PAGE_SCRIPT },
  'page.css': { type: 'text/css; charset=utf-8', body: PAGE_STYLE },
};

/**
 * GET /billers is public (the token is checked inside): limited per source address and per
 * participant, counted in PostgreSQL so the limits hold across replicas; both rules are counted at
 * once (RateLimitGuard), so under load they share the storage's batch. A malformed or repeated
 * participant_code is not counted per participant (the launch refuses it with 806 anyway).
 */
export function launchRateLimits(config: SessionServiceConfig): RateLimitRule[] {
  return [
    { name: 'launch-source', limit: config.SESSION_LAUNCH_LIMIT_PER_SOURCE, ttlMs: 60_000, by: 'source-address' },
    {
      name: 'launch-participant',
      limit: config.SESSION_LAUNCH_LIMIT_PER_PARTICIPANT,
      ttlMs: 60_000,
      by: (request) => {
        const code = request.query.participant_code;
        return typeof code === 'string' && PARTICIPANT_CODE.test(code) ? code : undefined;
      },
    },
  ];
}

@ApiTags('billers')
@ApiPublic()
@Public()
@ApiErrorBody(PlatformErrorDto)
@Controller('billers')
export class LaunchController {
  constructor(
    private readonly launches: LaunchService,
    @Inject(SERVICE_CONFIG) private readonly config: SessionServiceConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Get()
  @UseFilters(BillersErrorsFilter)
  @UseGuards(RateLimitGuard)
  @ApiOperation({ summary: 'NPI Billers v2 launch: the first valid load creates the session and answers the page' })
  @ApiProduces('text/html', 'application/json')
  @ApiQuery({ name: 'landing_page', enum: ['biller-all', 'biller_group', 'biller_form'] })
  @ApiQuery({ name: 'participant_code' })
  @ApiQuery({ name: 'channel', enum: ['web', 'mob'] })
  @ApiQuery({ name: 'session_id', description: '<participant_code>_<uuid>' })
  @ApiQuery({ name: 'token', description: 'nested JWT: PS256 JWS inside RSA-OAEP-256/A256GCM JWE' })
  @ApiResponse({
    status: 200,
    description: 'the Billers page (HTML), with an HttpOnly page-token cookie for /billers/api',
    content: { 'text/html': { schema: { type: 'string' }, example: '<!doctype html><html lang="en"><head><title>NPI Billers</title>...</html>' } },
  })
  @ApiResponse({ status: 400, description: "NCHL 7xx, 801-809, 900-902: {error: {code, message}, correlationId} or an HTML error page" })
  @ApiResponse({ status: 401, description: 'NCHL 800: token validation failed' })
  @ApiResponse({ status: 409, description: 'NCHL 601: session already created' })
  @ApiResponse({ status: 410, description: 'NCHL 600: session expired' })
  @ApiResponse({ status: 429, description: 'ERR_RATE_LIMITED: too many launches from this source address or for this participant (Retry-After)' })
  async launch(@Query() query: Record<string, unknown>, @Res() response: Response): Promise<void> {
    const result = await this.launches.launch(query);
    const { params, participant } = result;
    const secure = cookieSecure(this.config);
    const maxAge = Math.max(0, Math.floor((result.expiresAt.getTime() - this.clock.now().getTime()) / 1000));
    // HttpOnly: the page's script never sees the token. Framed cross-site in production, so
    // SameSite=None; Secure; Partitioned (CHIPS keeps it working where third-party cookies are blocked).
    const cookie = [
      `${pageCookieName(params.sessionId)}=${result.pageToken}`,
      'Path=/billers/api',
      `Max-Age=${maxAge}`,
      'HttpOnly',
      ...(secure ? ['Secure', 'SameSite=None', 'Partitioned'] : ['SameSite=Lax']),
    ].join('; ');
    response.removeHeader('X-Frame-Options');
    response.setHeader('Content-Security-Policy', pageContentSecurityPolicy(participant.hostOrigins));
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Set-Cookie', cookie);
    response.status(200).type('html').send(
      renderPage({
        sessionId: params.sessionId,
        hostOrigins: participant.hostOrigins,
        lang: params.lang,
        displayMode: params.displayMode,
        displayError: params.displayError,
        landingPage: params.landingPage,
        channel: params.channel,
        os: params.os,
        expiresInMs: result.expiresAt.getTime() - this.clock.now().getTime(),
        billers: result.billers.map(({ code, name, nameNe, group, icon, form }) => ({ code, name, nameNe, group, icon, form })),
        apiBase: '/billers/api',
      }),
    );
  }

  @Get('assets/:file')
  @ApiExcludeEndpoint()
  @Header('Cache-Control', 'public, max-age=300')
  asset(@Param('file') file: string, @Res() response: Response): void {
    const asset = Object.prototype.hasOwnProperty.call(ASSETS, file) ? ASSETS[file] : undefined;
    if (!asset) {
      response.status(404).json({ error: { code: 'ERR_NOT_FOUND', message: 'not found' } });
      return;
    }
    response.type(asset.type).send(asset.body);
  }
}
