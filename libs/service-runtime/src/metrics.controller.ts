import { Controller, Get, Inject, Res } from '@nestjs/common';
import { Public } from '@npi/auth-guards';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import type { ServiceMetrics } from '@npi/observability';
import { SERVICE_METRICS } from './tokens';

/** Prometheus scrape endpoint (the NetworkPolicy lets only the monitoring namespace reach it). */
@ApiExcludeController()
@Public()
@Controller('metrics')
export class MetricsController {
  constructor(@Inject(SERVICE_METRICS) private readonly metrics: ServiceMetrics) {}

  @Get()
  async scrape(@Res() response: Response): Promise<void> {
    response.setHeader('Content-Type', this.metrics.contentType);
    response.send(await this.metrics.render());
  }
}
