import { Body, Controller, Get, HttpCode, Param, Post, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, ZodBodyPipe } from '@npi/api-contracts';
import { Operator } from '@npi/auth-guards';
import { ValidationFailedError } from '../domain/errors';
import { DirectoryAdminErrorDto } from '../registry/directory.contracts';
import {
  ADMIN_EXAMPLES,
  CertificateBodyDto,
  CertificateViewDto,
  DebitCapBodyDto,
  DebitCapViewDto,
  KnownAccountBodyDto,
  KnownAccountDto,
  MemberBodyDto,
  MemberViewDto,
  ReversalBodyDto,
  ReversalResultDto,
  SuspensionBodyDto,
  WhitelistBodyDto,
  WhitelistEntryDto,
} from './admin.contracts';
import { MemberAdminService } from './member-admin.service';

/** Admin bodies that break their shape: the technical validation error, one fieldError per failed field. */
const adminBody = new ZodBodyPipe(
  (issues) => new ValidationFailedError('validation failed', undefined, issues.map((issue) => ({ field: issue.path, message: issue.message }))),
);

/** NCHL operator's registry API: members, certificates, debtor whitelist, debit caps. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiErrorBody(DirectoryAdminErrorDto, { 400: 'validation failed (fieldErrors name the fields)', 401: 'admin token missing or wrong' })
@Controller('admin') // not a member API: no OAuth access token, the operator's admin token instead
@Operator()
export class PaymentAdminController {
  constructor(private readonly admin: MemberAdminService) {}

  @Post('members')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create or update a member (code, name, kind, bankId, oauthClientId, userId, certificatePem?)' })
  @ApiJsonResponse(200, MemberViewDto, ADMIN_EXAMPLES.member)
  upsertMember(@Body(adminBody) body: MemberBodyDto) {
    return this.admin.upsertMember(body);
  }

  @Post('members/:code/certificates')
  @ApiOperation({ summary: "Register a member's signing certificate (PEM)" })
  @ApiJsonResponse(201, CertificateViewDto, ADMIN_EXAMPLES.certificate)
  @ApiResponse({ status: 404, description: 'no such member' })
  addCertificate(@Param('code') code: string, @Body(adminBody) body: CertificateBodyDto) {
    return this.admin.addCertificate(code, body);
  }

  @Post('members/:code/whitelist')
  @ApiOperation({ summary: 'Whitelist a debtor account with its Debit Authorization Letter reference' })
  @ApiJsonResponse(201, WhitelistEntryDto, ADMIN_EXAMPLES.whitelistEntry)
  @ApiResponse({ status: 404, description: 'no such member' })
  addWhitelistEntry(@Param('code') code: string, @Body(adminBody) body: WhitelistBodyDto) {
    return this.admin.addWhitelistEntry(code, body);
  }

  @Get('members/:code/whitelist')
  @ApiOperation({ summary: "List a member's whitelist entries (all statuses)" })
  @ApiJsonResponse(200, [WhitelistEntryDto], [ADMIN_EXAMPLES.whitelistEntry])
  @ApiResponse({ status: 404, description: 'no such member' })
  listWhitelist(@Param('code') code: string) {
    return this.admin.listWhitelist(code);
  }

  @Post('whitelist/:entryId/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend a whitelist entry' })
  @ApiJsonResponse(200, WhitelistEntryDto, { ...ADMIN_EXAMPLES.whitelistEntry, status: 'SUSPENDED', suspendedBy: 'ops.officer', suspendedAt: '2026-12-06T09:00:00.000Z' })
  @ApiResponse({ status: 404, description: 'no such whitelist entry' })
  suspend(@Param('entryId') entryId: string, @Body(adminBody) body: SuspensionBodyDto) {
    return this.admin.suspendWhitelistEntry(entryId, body);
  }

  @Put('members/:code/debit-caps')
  @ApiOperation({ summary: 'Set the debit cap (and optional per-transaction limit) of a member at a bank' })
  @ApiJsonResponse(200, DebitCapViewDto, ADMIN_EXAMPLES.debitCap)
  @ApiResponse({ status: 404, description: 'no such member' })
  setDebitCap(@Param('code') code: string, @Body(adminBody) body: DebitCapBodyDto) {
    return this.admin.setDebitCap(code, body);
  }

  @Post('members/:code/batches/:batchId/reverse')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reverse an accepted batch: all credits RJCT, its debit cap reservation released' })
  @ApiJsonResponse(200, ReversalResultDto, { batchId: 'DEMO-B-0001', status: 'REVERSED' })
  @ApiResponse({ status: 404, description: 'no such member, or no accepted batch with this batchId' })
  reverse(@Param('code') code: string, @Param('batchId') batchId: string, @Body(adminBody) body: ReversalBodyDto) {
    return this.admin.reverseBatch(code, batchId, body);
  }

  @Post('accounts')
  @ApiOperation({ summary: 'Register an account known to the system (for /api/validatebankaccount)' })
  @ApiJsonResponse(201, KnownAccountDto, ADMIN_EXAMPLES.account)
  addKnownAccount(@Body(adminBody) body: KnownAccountBodyDto) {
    return this.admin.addKnownAccount(body);
  }
}
