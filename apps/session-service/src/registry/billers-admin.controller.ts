import { Body, Controller, Get, Param, Put, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, PlatformErrorDto, ZodBodyPipe, describeIssues } from '@npi/api-contracts';
import { Operator } from '@npi/auth-guards';
import type { BillerRecord, ParticipantRecord } from '@npi/session/data-access';
import { RegistryError } from '../errors';
import { PageApiErrorsFilter } from '../page/page-api-errors.filter';
import { BILLER_EXAMPLE, BillerInputDto, BillerViewDto, HOST_PARTICIPANT_EXAMPLE, HostParticipantInputDto, HostParticipantViewDto } from './registry.contracts';
import { BillersRegistryService } from './billers-registry.service';

/** Admin request bodies that break their shape: `ERR_VALIDATION` 400, naming each failed field. */
const adminBody = new ZodBodyPipe((issues) => new RegistryError('ERR_VALIDATION', describeIssues(issues)));

function publicView(participant: ParticipantRecord) {
  return { ...participant, keys: participant.keys.map((k) => ({ kid: k.kid, use: k.use.toLowerCase(), publicKey: k.publicKeyPem })) };
}

@ApiTags('admin')
@ApiBearerAuth()
@ApiErrorBody(PlatformErrorDto, { 401: 'ERR_UNAUTHORIZED: admin token missing or wrong' })
@Controller('admin')
@Operator()
@UseFilters(PageApiErrorsFilter)
export class BillersAdminController {
  constructor(private readonly registry: BillersRegistryService) {}

  @Put('participants/:code')
  @ApiOperation({ summary: 'Register or replace a participant (host app): keys, algorithms, origins, channels, billers' })
  @ApiJsonResponse(200, HostParticipantViewDto, HOST_PARTICIPANT_EXAMPLE, 'the participant as stored')
  @ApiResponse({ status: 400, description: 'ERR_VALIDATION, ERR_KEY_INVALID, ERR_KEY_TOO_SMALL' })
  async putParticipant(@Param('code') code: string, @Body(adminBody) body: HostParticipantInputDto) {
    return publicView(await this.registry.putParticipant(code, body));
  }

  @Get('participants')
  @ApiOperation({ summary: 'All registered participants' })
  @ApiJsonResponse(200, [HostParticipantViewDto], [HOST_PARTICIPANT_EXAMPLE])
  async listParticipants() {
    return (await this.registry.listParticipants()).map(publicView);
  }

  @Get('participants/:code')
  @ApiOperation({ summary: 'One participant' })
  @ApiJsonResponse(200, HostParticipantViewDto, HOST_PARTICIPANT_EXAMPLE)
  @ApiResponse({ status: 404, description: 'ERR_NOT_FOUND' })
  async getParticipant(@Param('code') code: string) {
    return publicView(await this.registry.getParticipant(code));
  }

  @Put('billers/:code')
  @ApiOperation({ summary: 'Add or replace a biller of the catalogue and the form it shows' })
  @ApiJsonResponse(200, BillerViewDto, BILLER_EXAMPLE, 'the biller as stored')
  @ApiResponse({ status: 400, description: 'ERR_VALIDATION' })
  putBiller(@Param('code') code: string, @Body(adminBody) body: BillerInputDto): Promise<BillerRecord> {
    return this.registry.putBiller(code, body);
  }

  @Get('billers')
  @ApiOperation({ summary: 'The biller catalogue' })
  @ApiJsonResponse(200, [BillerViewDto], [BILLER_EXAMPLE])
  listBillers(): Promise<BillerRecord[]> {
    return this.registry.listBillers();
  }
}
