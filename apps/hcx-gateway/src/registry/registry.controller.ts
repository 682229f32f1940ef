import { Body, Controller, Get, HttpCode, Inject, Param, Patch, Post, Query, Req, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { z } from 'zod';
import { Allow, HcxAuthGuard, principalOf } from '../api-keys/hcx-auth.guard';
import { HcxError, accessDenied } from '../errors';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { parseInput } from '../validation';
import { RegistryService } from './registry.service';
import type { ParticipantView } from './registry.service';

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
  if (!code.safeParse(raw).success) throw new HcxError('ERR_PARTICIPANT_NOT_FOUND', 'participant not found', 404);
  return raw;
}

class ParticipantDto {
  @ApiProperty({ example: 'provider-01@hcx' }) participant_code!: string;
  @ApiProperty() participant_name!: string;
  @ApiProperty({ example: ['provider'] }) roles!: string[];
  @ApiProperty() primary_email!: string;
  @ApiPropertyOptional() primary_mobile?: string;
  @ApiProperty({ example: 'https://provider.example/hcx' }) endpoint_url!: string;
  @ApiProperty({ description: 'PEM X.509, RSA >= 2048' }) encryption_cert!: string;
  @ApiProperty({ description: 'PEM X.509, RSA >= 2048' }) signing_cert!: string;
  @ApiPropertyOptional({ enum: ['Created', 'Active', 'Inactive', 'Blocked'] }) status?: string;
}
class StatusDto {
  @ApiProperty({ enum: ['Created', 'Active', 'Inactive', 'Blocked'] }) status!: string;
}

/** Participant registry API (issue #7): admin writes, participants read the public view. */
@ApiTags('registry')
@ApiBearerAuth()
@Controller('participants')
@UseGuards(HcxAuthGuard)
@UseFilters(HcxErrorsFilter)
export class RegistryController {
  constructor(@Inject(RegistryService) private readonly registry: RegistryService) {}

  @Post()
  @Allow('admin')
  @ApiOperation({ summary: 'Register a participant (operators); the client_secret is delivered by email/SMS, never answered' })
  @ApiBody({ type: ParticipantDto })
  @ApiResponse({ status: 201, description: '{participant, secret_delivery: "queued"}' })
  async create(@Body() body: unknown): Promise<{ participant: ParticipantView; secret_delivery: 'queued' }> {
    const { participant } = await this.registry.create(parseInput(createSchema, body));
    return { participant, secret_delivery: 'queued' };
  }

  @Get()
  @Allow('admin-or-participant')
  @ApiOperation({ summary: 'Search participants (public view for participants, full view for the admin)' })
  search(@Query() query: unknown, @Req() request: Request): Promise<ParticipantView[]> {
    return this.registry.search(parseInput(searchSchema, query), principalOf(request).kind === 'admin');
  }

  @Get(':code')
  @Allow('admin-or-participant')
  @ApiOperation({ summary: 'Read one participant' })
  get(@Param('code') participantCode: string, @Req() request: Request): Promise<ParticipantView> {
    const principal = principalOf(request);
    return this.registry.get(participantCodeParam(participantCode), principal.kind === 'admin' || principal.participantCode === participantCode);
  }

  @Patch(':code')
  @Allow('admin')
  @ApiOperation({ summary: 'Update name, roles, contacts, endpoint or certificates' })
  @ApiBody({ type: ParticipantDto })
  update(@Param('code') participantCode: string, @Body() body: unknown): Promise<ParticipantView> {
    return this.registry.update(participantCodeParam(participantCode), parseInput(updateSchema, body));
  }

  @Post(':code/status')
  @HttpCode(200)
  @Allow('admin')
  @ApiOperation({ summary: 'Change status (only Active participants transact; Blocked/Inactive revoke API keys at once)' })
  @ApiBody({ type: StatusDto })
  setStatus(@Param('code') participantCode: string, @Body() body: unknown): Promise<ParticipantView> {
    return this.registry.setStatus(participantCodeParam(participantCode), parseInput(statusSchema, body).status);
  }

  @Post(':code/secret/rotate')
  @HttpCode(200)
  @Allow('admin-or-participant')
  @ApiOperation({ summary: 'Rotate the client_secret (admin, or the participant itself with its current API key); revokes every earlier API key; the new secret is delivered by email/SMS' })
  async rotate(@Param('code') participantCode: string, @Req() request: Request): Promise<{ participant_code: string; secret_delivery: 'queued' }> {
    const principal = principalOf(request);
    if (principal.kind === 'participant' && principal.participantCode !== participantCode) throw accessDenied('a participant may rotate only its own secret', 403);
    await this.registry.rotateSecret(participantCodeParam(participantCode));
    return { participant_code: participantCode, secret_delivery: 'queued' };
  }

  @Post(':code/secret/resend')
  @HttpCode(202)
  @Allow('admin')
  @ApiOperation({ summary: 'Send the current client_secret again by the configured channels (operators)' })
  async resend(@Param('code') participantCode: string): Promise<{ participant_code: string; secret_delivery: 'queued' }> {
    await this.registry.resendSecret(participantCodeParam(participantCode));
    return { participant_code: participantCode, secret_delivery: 'queued' };
  }
}
