import { Controller, Get, Inject, Res, ServiceUnavailableException } from '@nestjs/common';
import { Public } from '@npi/auth-guards';
import { HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import type { HealthCheckResult, HealthIndicatorFunction, HealthIndicatorResult } from '@nestjs/terminus';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { ApiErrorBody, ApiJsonResponse, ApiPublic, PlatformErrorDto, createZodDto } from '@npi/api-contracts';
import type { ReadinessCheck, ReadinessRegistry } from '@npi/observability';
import { READINESS_REGISTRY } from '@npi/observability';
import { BrokerHealthMonitor } from './broker-health';
import { LOGGER } from './tokens';

const CHECK_TIMEOUT_MS = 2_000;

class LivenessDto extends createZodDto(z.object({ status: z.literal('ok') })) {}
const indicators = z.record(z.string(), z.object({ status: z.enum(['up', 'down']) }).passthrough());
class ReadinessDto extends createZodDto(
  z.object({
    status: z.enum(['ok', 'error', 'shutting_down']),
    info: indicators.describe('checks that are up'),
    error: indicators.describe('checks that are down'),
    details: indicators.describe('every check, plus `broker` (reported, affectsReadiness: false)'),
  }),
) {}

/**
 * Liveness and readiness through @nestjs/terminus. Ready means "this pod serves correctly": the
 * registered checks (database, caches caught up). The broker is reported under `details.broker`
 * with `affectsReadiness: false` and never makes the pod not-ready.
 */
@ApiTags('health')
@ApiPublic()
@ApiErrorBody(PlatformErrorDto, { 500: 'ERR_INTERNAL' })
@Public()
@Controller('health')
export class HealthController {
  private lastReady?: boolean;

  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    @Inject(READINESS_REGISTRY) private readonly registry: ReadinessRegistry,
    private readonly broker: BrokerHealthMonitor,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiJsonResponse(200, LivenessDto, { status: 'ok' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database answers and the caches have caught up; broker state in details' })
  @ApiJsonResponse(200, ReadinessDto, {
    status: 'ok',
    info: { database: { status: 'up' } },
    error: {},
    details: { database: { status: 'up' }, broker: { status: 'down', affectsReadiness: false } },
  })
  @ApiJsonResponse(
    503,
    ReadinessDto,
    { status: 'error', info: {}, error: { database: { status: 'down', message: 'no answer within 2000 ms' } }, details: { database: { status: 'down', message: 'no answer within 2000 ms' }, broker: { status: 'up', affectsReadiness: false } } },
    'the database does not answer or a cache has not caught up',
  )
  async ready(@Res() response: Response): Promise<void> {
    let result: HealthCheckResult;
    let ready = true;
    try {
      result = await this.health.check(this.registry.list().map((check) => this.indicatorOf(check)));
    } catch (error) {
      if (!(error instanceof ServiceUnavailableException)) throw error;
      result = error.getResponse() as HealthCheckResult;
      ready = false;
    }
    if (ready !== this.lastReady) {
      if (ready) this.logger.info({ details: result.details }, 'ready');
      else this.logger.warn({ details: result.details }, 'not ready');
      this.lastReady = ready;
    }
    const broker = this.broker.current();
    const details = { ...result.details, broker: { status: broker.reachable ? 'up' : 'down', affectsReadiness: false, ...broker } };
    response.status(ready ? 200 : 503).json({ ...result, details });
  }

  private indicatorOf(check: ReadinessCheck): HealthIndicatorFunction {
    return async (): Promise<HealthIndicatorResult> => {
      const session = this.indicators.check(check.name);
      try {
        const details = await withTimeout(check.check(), CHECK_TIMEOUT_MS);
        return session.up(details ?? {});
      } catch (error) {
        return session.down({ message: error instanceof Error ? error.message : String(error) });
      }
    };
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
