import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { NpiMemberApi } from '../npi/npi-api';
import { ReportingService } from './reporting.service';

/** NCHL's reporting APIs for real-time (`cips`, with Billers payments) and non-real-time (`nchlips`) batches. */
@ApiTags('reporting')
@Controller('api')
@NpiMemberApi()
export class ReportingController {
  constructor(private readonly reporting: ReportingService) {}

  @Post('getcipstxnlistbydate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Real-time batches between txnDateFrom and txnDateTo (YYYY-MM-DD, inclusive)' })
  cipsByDate(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byDate('cips', principal, body);
  }

  @Post('getcipstxnlistbybatchid')
  @HttpCode(200)
  @ApiOperation({ summary: 'A real-time batch by batchId' })
  cipsByBatch(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byBatchId('cips', principal, body);
  }

  @Post('getcipstxnbyinstructionid')
  @HttpCode(200)
  @ApiOperation({ summary: 'A real-time transaction by batchId and instructionId' })
  cipsByInstruction(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byInstructionId('cips', principal, body);
  }

  @Post('getnchlipstxnlistbydate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Non-real-time batches between txnDateFrom and txnDateTo' })
  nchlipsByDate(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byDate('nchlips', principal, body);
  }

  @Post('getnchlipstxnlistbybatchid')
  @HttpCode(200)
  @ApiOperation({ summary: 'A non-real-time batch by batchId' })
  nchlipsByBatch(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byBatchId('nchlips', principal, body);
  }

  @Post('getnchlipstxnbyinstructionid')
  @HttpCode(200)
  @ApiOperation({ summary: 'A non-real-time transaction by batchId and instructionId' })
  nchlipsByInstruction(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byInstructionId('nchlips', principal, body);
  }
}
