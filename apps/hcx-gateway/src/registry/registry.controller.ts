import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, ApiNoBody, createZodDto } from '@npi/api-contracts';
import { z } from 'zod';
import { CurrentPrincipal, HcxOperator, HcxParticipant } from '@npi/auth-guards';
import type { HcxPrincipal } from '../api-keys/hcx-principal';
import { HcxError, forbidden } from '../errors';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { HcxErrorResponseDto, hcxBody } from '../hcx.contracts';
import { parseInput } from '../validation';
import { ParticipantRegistryService } from './participant-registry.service';
import type { ParticipantView } from './participant-registry.service';

const code = z.string().regex(/^[A-Za-z0-9._@:-]{3,128}$/, 'participant_code: 3-128 of A-Z a-z 0-9 . _ @ : -');
const status = z.enum(['Created', 'Active', 'Inactive', 'Blocked']);
const noNul = (value: string) => !value.includes('\u0000');
const participantFields = {
  participant_name: z.string().min(1).max(256).refine(noNul, 'must not contain NUL'),
  roles: z.array(z.string()).min(1).max(10),
  primary_email: z.string().email().max(256),
  primary_mobile: z.string().regex(/^\+?[0-9]{6,15}$/).nullable().optional(),
  endpoint_url: z.string().max(2048),
  encryption_cert: z.string().max(16_384),
  signing_cert: z.string().max(16_384),
};
const createSchema = z.object({ participant_code: code, ...participantFields, status: status.optional() }).strict();
const updateSchema = z.object(participantFields).partial().strict();
const statusSchema = z.object({ status }).strict();
const searchSchema = z
  .object({ participant_code: code.optional(), role: z.string().max(64).optional(), status: status.optional(), name: z.string().max(256).refine(noNul, 'must not contain NUL').optional(), limit: z.coerce.number().int().min(1).max(200).optional() })
  .strict();

/** A path parameter that cannot be a participant code (e.g. NUL, `%00`) cannot name one: 404, never a database error. */
export function participantCodeParam(raw: string): string {
  if (!code.safeParse(raw).success) throw new HcxError('ERR_PARTICIPANT_NOT_FOUND', 'participant not found');
  return raw;
}

class HcxParticipantCreateDto extends createZodDto(createSchema) {}
class HcxParticipantUpdateDto extends createZodDto(updateSchema) {}
class HcxParticipantStatusDto extends createZodDto(statusSchema) {}

const participantView = z.object({
  participant_code: z.string(),
  participant_name: z.string(),
  roles: z.array(z.string()),
  status,
  endpoint_url: z.string(),
  encryption_cert: z.string().describe('PEM X.509'),
  signing_cert: z.string().describe('PEM X.509'),
  primary_email: z.string().optional().describe('full view (admin, or the participant itself)'),
  primary_mobile: z.string().nullable().optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});
class HcxParticipantViewDto extends createZodDto(participantView) {}
class HcxParticipantCreatedDto extends createZodDto(z.object({ participant: participantView, secret_delivery: z.literal('queued') })) {}
class HcxSecretDeliveryDto extends createZodDto(z.object({ participant_code: z.string(), secret_delivery: z.literal('queued') })) {}

const CERT_EXAMPLE = '-----BEGIN CERTIFICATE-----\nMIIDazCCAlOgAwIBAgIUb...\n-----END CERTIFICATE-----\n';
const PARTICIPANT_EXAMPLE = {
  participant_code: 'demo-provider@hcx',
  participant_name: 'Demo Hospital',
  roles: ['provider'],
  status: 'Active',
  endpoint_url: 'https://hospital.example/hcx',
  encryption_cert: CERT_EXAMPLE,
  signing_cert: CERT_EXAMPLE,
  primary_email: 'hcx@hospital.example',
  primary_mobile: '9841000000',
  created_at: '2026-12-06T08:00:00.000Z',
  updated_at: '2026-12-06T08:00:00.000Z',
};

/** Participant registry API: admin writes, participants read the public view. */
@ApiTags('registry')
@ApiBearerAuth()
@ApiErrorBody(HcxErrorResponseDto, { 401: 'ERR_ACCESS_DENIED', 403: 'ERR_ACCESS_DENIED: not allowed for this key' })
@Controller('participants')
@HcxParticipant()
@UseFilters(HcxErrorsFilter)
export class RegistryController {
  constructor(@Inject(ParticipantRegistryService) private readonly registry: ParticipantRegistryService) {}

  @Post()
  @HcxOperator()
  @ApiOperation({ summary: 'Register a participant (operators); the client_secret is delivered by email/SMS, never answered' })
  @ApiJsonResponse(201, HcxParticipantCreatedDto, { participant: PARTICIPANT_EXAMPLE, secret_delivery: 'queued' })
  @ApiResponse({ status: 400, description: 'ERR_INVALID_REQUEST, certificate errors' })
  @ApiResponse({ status: 409, description: 'ERR_PARTICIPANT_EXISTS' })
  async create(@Body(hcxBody) body: HcxParticipantCreateDto): Promise<{ participant: ParticipantView; secret_delivery: 'queued' }> {
    const { participant } = await this.registry.create(body);
    return { participant, secret_delivery: 'queued' };
  }

  @Get()
  @HcxParticipant({ orOperator: true })
  @ApiOperation({ summary: 'Search participants (public view for participants, full view for the admin)' })
  @ApiJsonResponse(200, [HcxParticipantViewDto], [PARTICIPANT_EXAMPLE])
  @ApiResponse({ status: 400, description: 'ERR_INVALID_REQUEST' })
  search(@Query() query: unknown, @CurrentPrincipal() principal: HcxPrincipal): Promise<ParticipantView[]> {
    return this.registry.search(parseInput(searchSchema, query), principal.kind === 'operator');
  }

  @Get(':code')
  @HcxParticipant({ orOperator: true })
  @ApiOperation({ summary: 'Read one participant' })
  @ApiJsonResponse(200, HcxParticipantViewDto, PARTICIPANT_EXAMPLE)
  @ApiResponse({ status: 404, description: 'ERR_PARTICIPANT_NOT_FOUND' })
  get(@Param('code') participantCode: string, @CurrentPrincipal() principal: HcxPrincipal): Promise<ParticipantView> {
    return this.registry.get(participantCodeParam(participantCode), principal.kind === 'operator' || principal.participantCode === participantCode);
  }

  @Patch(':code')
  @HcxOperator()
  @ApiOperation({ summary: 'Update name, roles, contacts, endpoint or certificates' })
  @ApiJsonResponse(200, HcxParticipantViewDto, PARTICIPANT_EXAMPLE)
  @ApiResponse({ status: 400, description: 'ERR_INVALID_REQUEST' })
  @ApiResponse({ status: 404, description: 'ERR_PARTICIPANT_NOT_FOUND' })
  update(@Param('code') participantCode: string, @Body(hcxBody) body: HcxParticipantUpdateDto): Promise<ParticipantView> {
    return this.registry.update(participantCodeParam(participantCode), body);
  }

  @Post(':code/status')
  @HttpCode(200)
  @HcxOperator()
  @ApiOperation({ summary: 'Change status (only Active participants transact; Blocked/Inactive revoke API keys at once)' })
  @ApiJsonResponse(200, HcxParticipantViewDto, { ...PARTICIPANT_EXAMPLE, status: 'Blocked' })
  @ApiResponse({ status: 400, description: 'ERR_INVALID_REQUEST' })
  @ApiResponse({ status: 404, description: 'ERR_PARTICIPANT_NOT_FOUND' })
  setStatus(@Param('code') participantCode: string, @Body(hcxBody) body: HcxParticipantStatusDto): Promise<ParticipantView> {
    return this.registry.setStatus(participantCodeParam(participantCode), body.status);
  }

  @Post(':code/secret/rotate')
  @HttpCode(200)
  @HcxParticipant({ orOperator: true })
  @ApiOperation({ summary: 'Rotate the client_secret (admin, or the participant itself with its current API key); revokes every earlier API key; the new secret is delivered by email/SMS' })
  @ApiNoBody()
  @ApiJsonResponse(200, HcxSecretDeliveryDto, { participant_code: 'demo-provider@hcx', secret_delivery: 'queued' })
  @ApiResponse({ status: 404, description: 'ERR_PARTICIPANT_NOT_FOUND' })
  async rotate(@Param('code') participantCode: string, @CurrentPrincipal() principal: HcxPrincipal): Promise<{ participant_code: string; secret_delivery: 'queued' }> {
    if (principal.kind === 'participant' && principal.participantCode !== participantCode) throw forbidden('a participant may rotate only its own secret');
    await this.registry.rotateSecret(participantCodeParam(participantCode));
    return { participant_code: participantCode, secret_delivery: 'queued' };
  }

  @Post(':code/secret/resend')
  @HttpCode(202)
  @HcxOperator()
  @ApiOperation({ summary: 'Send the current client_secret again by the configured channels (operators)' })
  @ApiNoBody()
  @ApiJsonResponse(202, HcxSecretDeliveryDto, { participant_code: 'demo-provider@hcx', secret_delivery: 'queued' })
  @ApiResponse({ status: 404, description: 'ERR_PARTICIPANT_NOT_FOUND' })
  async resend(@Param('code') participantCode: string): Promise<{ participant_code: string; secret_delivery: 'queued' }> {
    await this.registry.resendSecret(participantCodeParam(participantCode));
    return { participant_code: participantCode, secret_delivery: 'queued' };
  }
}
