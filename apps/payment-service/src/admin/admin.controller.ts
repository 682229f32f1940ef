import { Body, Controller, Get, HttpCode, Param, Post, Put, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AdminService } from './admin.service';
import { AdminTokenGuard } from './admin-token.guard';

/** NCHL operator's registry API (issue #6): members, certificates, debtor whitelist, debit caps. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin') // not a member API: no OAuth access token, the operator's admin token instead
@UseGuards(AdminTokenGuard)
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  @Post('members')
  @HttpCode(200)
  @ApiOperation({ summary: 'Create or update a member (code, name, kind, bankId, oauthClientId, userId, certificatePem?)' })
  upsertMember(@Body() body: unknown) {
    return this.admin.upsertMember(body);
  }

  @Post('members/:code/certificates')
  @ApiOperation({ summary: "Register a member's signing certificate (PEM)" })
  addCertificate(@Param('code') code: string, @Body() body: unknown) {
    return this.admin.addCertificate(code, body);
  }

  @Post('members/:code/whitelist')
  @ApiOperation({ summary: 'Whitelist a debtor account with its Debit Authorization Letter reference' })
  addWhitelistEntry(@Param('code') code: string, @Body() body: unknown) {
    return this.admin.addWhitelistEntry(code, body);
  }

  @Get('members/:code/whitelist')
  @ApiOperation({ summary: "List a member's whitelist entries (all statuses)" })
  listWhitelist(@Param('code') code: string) {
    return this.admin.listWhitelist(code);
  }

  @Post('whitelist/:entryId/suspend')
  @HttpCode(200)
  @ApiOperation({ summary: 'Suspend a whitelist entry' })
  suspend(@Param('entryId') entryId: string, @Body() body: unknown) {
    return this.admin.suspendWhitelistEntry(entryId, body);
  }

  @Put('members/:code/debit-caps')
  @ApiOperation({ summary: 'Set the debit cap (and optional per-transaction limit) of a member at a bank' })
  setDebitCap(@Param('code') code: string, @Body() body: unknown) {
    return this.admin.setDebitCap(code, body);
  }

  @Post('members/:code/batches/:batchId/reverse')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reverse an accepted batch: all credits RJCT, its debit cap reservation released' })
  reverse(@Param('code') code: string, @Param('batchId') batchId: string, @Body() body: unknown) {
    return this.admin.reverseBatch(code, batchId, body);
  }

  @Post('accounts')
  @ApiOperation({ summary: 'Register an account known to the system (for /api/validatebankaccount)' })
  addKnownAccount(@Body() body: unknown) {
    return this.admin.addKnownAccount(body);
  }
}
