import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiParam, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, ApiPublic } from '@npi/api-contracts';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import { CurrentPrincipal, HcxParticipant, Public } from '@npi/auth-guards';
import type { HcxPrincipal } from '../api-keys/hcx-principal';
import type { HcxGatewayConfig } from '../config';
import { HcxError } from '../errors';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { HcxErrorResponseDto, hcxProtocolBody } from '../hcx.contracts';
import { PROTOCOL_VERSION } from '../protocol/apis';
import { RegistryApiService } from './registry-api.service';
import { participantCodeParam } from './registry.controller';
import { ParticipantRegistryService } from './participant-registry.service';
import {
  HcxRegistryChangedDto,
  HcxRegistryCreateRequestDto,
  HcxRegistryCreatedDto,
  HcxRegistryDeleteRequestDto,
  HcxRegistryParticipantDto,
  HcxRegistrySearchRequestDto,
  HcxRegistrySearchResponseDto,
  HcxRegistryUpdateRequestDto,
  REGISTRY_ANSWER_EXAMPLES,
  REGISTRY_REQUEST_EXAMPLES,
} from './registry-api.contracts';

/** The URL participants reach this gateway at: HCX_PUBLIC_URL when set, else the request's own origin. */
function baseUrlOf(config: HcxGatewayConfig, request: Request): string {
  return config.HCX_PUBLIC_URL ?? `${request.protocol}://${request.get('host') ?? 'localhost'}`;
}

const requiredBody = hcxProtocolBody();
const optionalBody = hcxProtocolBody({ optional: true });

/** HCX participant registry API (openapi_hcx_registry.yml) under the protocol prefix, API-key authenticated. */
@ApiTags('registry (HCX)')
@ApiBearerAuth()
@ApiErrorBody(HcxErrorResponseDto, { 401: 'ERR_ACCESS_DENIED: API key missing, invalid or expired', 403: 'ERR_ACCESS_DENIED: not allowed for this key' })
@Controller(`${PROTOCOL_VERSION}/participant`)
@HcxParticipant()
@UseFilters(HcxErrorsFilter)
export class RegistryApiController {
  constructor(
    @Inject(RegistryApiService) private readonly registry: RegistryApiService,
    @Inject(SERVICE_CONFIG) private readonly config: HcxGatewayConfig,
  ) {}

  @Post('create')
  @HttpCode(200)
  @HcxParticipant({ orOperator: true })
  @ApiOperation({ summary: 'Create a participant (HCX admin); the participant_code is generated; the client_secret is delivered by email/SMS, never answered' })
  @ApiBody({ type: HcxRegistryCreateRequestDto, examples: { create: { value: REGISTRY_REQUEST_EXAMPLES.create } } })
  @ApiJsonResponse(200, HcxRegistryCreatedDto, REGISTRY_ANSWER_EXAMPLES.created)
  @ApiResponse({ status: 400, description: 'ERR_INVALID_REQUEST, ERR_INVALID_CERTIFICATE, ERR_PARTICIPANT_EXISTS' })
  create(@Body(requiredBody) body: HcxRegistryCreateRequestDto, @CurrentPrincipal() principal: HcxPrincipal): Promise<{ participant_code: string }> {
    return this.registry.create(principal, body);
  }

  @Get('read/:participant_code')
  @HcxParticipant({ orOperator: true })
  @ApiOperation({ summary: 'Read one participant (certificates as URLs)' })
  @ApiParam({ name: 'participant_code', type: 'string' })
  @ApiJsonResponse(200, HcxRegistryParticipantDto, REGISTRY_ANSWER_EXAMPLES.participant)
  @ApiResponse({ status: 404, description: 'ERR_PARTICIPANT_NOT_FOUND' })
  read(@Param('participant_code') participantCode: string, @CurrentPrincipal() principal: HcxPrincipal, @Req() request: Request): Promise<Record<string, unknown>> {
    return this.registry.read(principal, participantCodeParam(participantCode), baseUrlOf(this.config, request));
  }

  @Post('search')
  @HttpCode(200)
  @HcxParticipant({ orOperator: true })
  @ApiOperation({ summary: 'Search participants: filters {field: {operator: value}} (ANDed), limit, offset' })
  @ApiBody({ type: HcxRegistrySearchRequestDto, required: false, examples: { search: { value: REGISTRY_REQUEST_EXAMPLES.search } } })
  @ApiJsonResponse(200, HcxRegistrySearchResponseDto, REGISTRY_ANSWER_EXAMPLES.search)
  @ApiResponse({ status: 400, description: 'ERR_INVALID_REQUEST' })
  search(@Body(optionalBody) body: HcxRegistrySearchRequestDto, @CurrentPrincipal() principal: HcxPrincipal, @Req() request: Request): Promise<{ timestamp: string; participants: Record<string, unknown>[] }> {
    return this.registry.search(principal, body, baseUrlOf(this.config, request));
  }

  @Post('update')
  @HttpCode(200)
  @HcxParticipant({ orOperator: true })
  @ApiOperation({ summary: 'Update a participant (HCX admin; a participant: its own endpoint_url and certificates)' })
  @ApiBody({ type: HcxRegistryUpdateRequestDto, examples: { update: { value: REGISTRY_REQUEST_EXAMPLES.update } } })
  @ApiJsonResponse(200, HcxRegistryChangedDto, REGISTRY_ANSWER_EXAMPLES.changed)
  @ApiResponse({ status: 400, description: 'ERR_INVALID_REQUEST, ERR_INVALID_CERTIFICATE' })
  update(@Body(requiredBody) body: HcxRegistryUpdateRequestDto, @CurrentPrincipal() principal: HcxPrincipal, @Req() request: Request): Promise<{ timestamp: string; participant_code: string }> {
    return this.registry.update(principal, body, baseUrlOf(this.config, request));
  }

  @Post('delete')
  @HttpCode(200)
  @HcxParticipant({ orOperator: true })
  @ApiOperation({ summary: 'Soft delete (HCX admin): status InActive, API keys stop working at once' })
  @ApiBody({ type: HcxRegistryDeleteRequestDto, examples: { delete: { value: REGISTRY_REQUEST_EXAMPLES.delete } } })
  @ApiJsonResponse(200, HcxRegistryChangedDto, REGISTRY_ANSWER_EXAMPLES.changed)
  @ApiResponse({ status: 404, description: 'ERR_PARTICIPANT_NOT_FOUND' })
  delete(@Body(requiredBody) body: HcxRegistryDeleteRequestDto, @CurrentPrincipal() principal: HcxPrincipal): Promise<{ timestamp: string; participant_code: string }> {
    return this.registry.delete(principal, body.participant_code);
  }
}

/** Participants' certificates at stable public URLs (what `encryption_cert` / `signing_cert_path` point to). */
@ApiTags('registry (HCX)')
@ApiPublic()
@Public()
@ApiErrorBody(HcxErrorResponseDto)
@Controller('certificates')
@UseFilters(HcxErrorsFilter)
export class CertificatesController {
  constructor(@Inject(ParticipantRegistryService) private readonly registry: ParticipantRegistryService) {}

  @Get(':participant_code/:file')
  @Header('Cache-Control', 'no-cache')
  @ApiOperation({ summary: 'PEM X.509 certificate of a participant: encryption_cert.pem or signing_cert.pem (public, no authentication)' })
  @ApiResponse({ status: 200, description: 'the certificate; ETag for If-None-Match', content: { 'application/x-pem-file': { schema: { type: 'string' }, example: '-----BEGIN CERTIFICATE-----\nMIIDazCCAlOgAwIBAgIUb...\n-----END CERTIFICATE-----\n' } } })
  @ApiResponse({ status: 304, description: 'unchanged (If-None-Match)' })
  @ApiResponse({ status: 404, description: 'ERR_PARTICIPANT_NOT_FOUND, or not a certificate file name' })
  async certificate(@Param('participant_code') participantCode: string, @Param('file') file: string, @Req() request: Request, @Res() response: Response): Promise<void> {
    if (file !== 'encryption_cert.pem' && file !== 'signing_cert.pem') throw new HcxError('ERR_UNKNOWN_RESOURCE', 'unknown certificate');
    const record = await this.registry.find(participantCodeParam(participantCode));
    if (!record) throw new HcxError('ERR_PARTICIPANT_NOT_FOUND', 'participant not found');
    const pem = file === 'encryption_cert.pem' ? record.encryptionCert : record.signingCert;
    const etag = `"${createHash('sha256').update(pem).digest('base64url')}"`;
    response.setHeader('ETag', etag);
    if (request.headers['if-none-match'] === etag) {
      response.status(304).end();
      return;
    }
    response.status(200).type('application/x-pem-file').send(pem);
  }
}
