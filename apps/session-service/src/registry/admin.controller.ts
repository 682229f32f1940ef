import { Body, Controller, Get, Inject, Injectable, Param, Put, UseFilters, UseGuards } from '@nestjs/common';
import type { CanActivate, ExecutionContext } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import type { BillerRecord, ParticipantRecord } from '@npi/session/data-access';
import type { SessionServiceConfig } from '../config';
import { RegistryError } from '../errors';
import { PageApiErrorsFilter } from '../page/page-api-errors.filter';
import { RegistryService } from './registry.service';

/** `Authorization: Bearer <SESSION_ADMIN_TOKEN>`, compared in constant time (over hashes, so lengths leak nothing). */
@Injectable()
export class AdminTokenGuard implements CanActivate {
  private readonly expected: Buffer;
  constructor(@Inject(SERVICE_CONFIG) config: SessionServiceConfig) {
    this.expected = createHash('sha256').update(config.SESSION_ADMIN_TOKEN).digest();
  }

  canActivate(context: ExecutionContext): boolean {
    const header = context.switchToHttp().getRequest<Request>().headers.authorization ?? '';
    const match = /^Bearer ([\x21-\x7e]{1,512})$/.exec(header);
    const given = createHash('sha256').update(match?.[1] ?? '').digest();
    if (!match || !timingSafeEqual(given, this.expected)) throw new RegistryError('ERR_UNAUTHORIZED', 'admin token required');
    return true;
  }
}

function publicView(participant: ParticipantRecord) {
  return { ...participant, keys: participant.keys.map((k) => ({ kid: k.kid, use: k.use.toLowerCase(), publicKey: k.publicKeyPem })) };
}

@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
@UseGuards(AdminTokenGuard)
@UseFilters(PageApiErrorsFilter)
export class AdminController {
  constructor(private readonly registry: RegistryService) {}

  @Put('participants/:code')
  @ApiOperation({ summary: 'Register or replace a participant (host app): keys, algorithms, origins, channels, billers' })
  @ApiResponse({ status: 200, description: 'the participant as stored' })
  @ApiResponse({ status: 400, description: 'ERR_VALIDATION, ERR_KEY_INVALID, ERR_KEY_TOO_SMALL' })
  @ApiResponse({ status: 401, description: 'ERR_UNAUTHORIZED' })
  async putParticipant(@Param('code') code: string, @Body() body: unknown) {
    return publicView(await this.registry.putParticipant(code, body));
  }

  @Get('participants')
  async listParticipants() {
    return (await this.registry.listParticipants()).map(publicView);
  }

  @Get('participants/:code')
  async getParticipant(@Param('code') code: string) {
    return publicView(await this.registry.getParticipant(code));
  }

  @Put('billers/:code')
  @ApiOperation({ summary: 'Add or replace a biller of the catalogue and the form it shows' })
  putBiller(@Param('code') code: string, @Body() body: unknown): Promise<BillerRecord> {
    return this.registry.putBiller(code, body);
  }

  @Get('billers')
  listBillers(): Promise<BillerRecord[]> {
    return this.registry.listBillers();
  }
}
