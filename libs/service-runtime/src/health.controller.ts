import { Controller, Get, Inject, Res } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { ApiErrorBody, ApiJsonResponse, ApiPublic, PlatformErrorDto, createZodDto } from '@npi/api-contracts';
import { READINESS_CHECKS } from './tokens';

export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 3_000;

class LivenessDto extends createZodDto(z.object({ status: z.literal('ok') })) {}
class ReadinessDto extends createZodDto(
  z.object({ status: z.enum(['ok', 'unavailable']), checks: z.record(z.string(), z.enum(['up', 'down'])).describe('each dependency by name') }),
) {}

@ApiTags('health')
@ApiPublic()
@ApiErrorBody(PlatformErrorDto, { 500: 'ERR_INTERNAL' })
@Controller('health')
export class HealthController {
  constructor(@Inject(READINESS_CHECKS) private readonly checks: ReadinessCheck[]) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiJsonResponse(200, LivenessDto, { status: 'ok' })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database and the broker are reachable' })
  @ApiJsonResponse(200, ReadinessDto, { status: 'ok', checks: { database: 'up', broker: 'up' } })
  @ApiJsonResponse(503, ReadinessDto, { status: 'unavailable', checks: { database: 'up', broker: 'down' } }, 'a dependency is unreachable')
  async ready(@Res() response: Response): Promise<void> {
    const results = await Promise.all(
      this.checks.map(async (check) => {
        try {
          await withTimeout(check.check(), CHECK_TIMEOUT_MS);
          return [check.name, 'up'] as const;
        } catch {
          return [check.name, 'down'] as const;
        }
      }),
    );
    const ok = results.every(([, state]) => state === 'up');
    response.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'unavailable', checks: Object.fromEntries(results) });
  }
}

function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<void>((_, reject) => (timer = setTimeout(() => reject(new Error('timeout')), ms)))]).finally(() =>
    clearTimeout(timer),
  );
}
