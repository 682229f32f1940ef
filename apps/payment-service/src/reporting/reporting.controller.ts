import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { NpiMemberApi } from '../npi/npi-api';
import { NCHL_SAMPLES } from '../npi/nchl-samples';
import { SignedAnswerInterceptor } from '../npi/signed-answer.interceptor';
import { ReportingService } from './reporting.service';

const byDateBody = ApiBody({ schema: { type: 'object', required: ['txnDateFrom', 'txnDateTo'], properties: { txnDateFrom: { type: 'string', format: 'date' }, txnDateTo: { type: 'string', format: 'date' } }, example: { txnDateFrom: '2018-11-01', txnDateTo: '2018-12-06' } } });
const byBatchBody = ApiBody({ schema: { type: 'object', required: ['batchId'], properties: { batchId: { type: 'string', maxLength: 20 } }, example: { batchId: '123456' } } });
const byInstructionBody = ApiBody({
  schema: { type: 'object', required: ['batchId', 'instructionId'], properties: { batchId: { type: 'string', maxLength: 20 }, instructionId: { type: 'string', maxLength: 30 } }, example: { batchId: '123456', instructionId: 'instr-123456' } },
});
const list = (example: unknown) => ApiOkResponse({ description: "NCHL's transaction objects, each with its batch nested; [] when nothing matches", schema: { type: 'array', items: { type: 'object' }, example: [example] } });
const one = (example: unknown) => ApiOkResponse({ description: "NCHL's transaction object with its batch nested (E004, HTTP 400, when there is none)", schema: { type: 'object', example } });

/** NCHL's reporting APIs for real-time (`cips`, with Billers payments) and non-real-time (`nchlips`) batches. */
@ApiTags('reporting')
@Controller('api')
@NpiMemberApi()
@UseInterceptors(SignedAnswerInterceptor)
export class ReportingController {
  constructor(private readonly reporting: ReportingService) {}

  @Post('getcipstxnlistbydate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Real-time transactions between txnDateFrom and txnDateTo (YYYY-MM-DD business dates, inclusive, at most 31 days)' })
  @byDateBody
  @list(NCHL_SAMPLES.getcipstxnbyinstructionid)
  cipsByDate(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byDate('cips', principal, body);
  }

  @Post('getcipstxnlistbybatchid')
  @HttpCode(200)
  @ApiOperation({ summary: 'The transactions of a real-time batch' })
  @byBatchBody
  @list(NCHL_SAMPLES.getcipstxnbyinstructionid)
  cipsByBatch(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byBatchId('cips', principal, body);
  }

  @Post('getcipstxnbyinstructionid')
  @HttpCode(200)
  @ApiOperation({ summary: 'A real-time transaction by batchId and instructionId' })
  @byInstructionBody
  @one(NCHL_SAMPLES.getcipstxnbyinstructionid)
  cipsByInstruction(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byInstructionId('cips', principal, body);
  }

  @Post('getnchlipstxnlistbydate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Non-real-time transactions between txnDateFrom and txnDateTo' })
  @byDateBody
  @list(NCHL_SAMPLES.getnchlipstxnlistbyinstructionid)
  nchlipsByDate(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byDate('nchlips', principal, body);
  }

  @Post('getnchlipstxnlistbybatchid')
  @HttpCode(200)
  @ApiOperation({ summary: 'The transactions of a non-real-time batch' })
  @byBatchBody
  @list(NCHL_SAMPLES.getnchlipstxnlistbyinstructionid)
  nchlipsByBatch(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byBatchId('nchlips', principal, body);
  }

  @Post('getnchlipstxnlistbyinstructionid')
  @HttpCode(200)
  @ApiOperation({ summary: 'A non-real-time transaction by batchId and instructionId (NCHL\'s path, with "list" although it answers one object)' })
  @byInstructionBody
  @one(NCHL_SAMPLES.getnchlipstxnlistbyinstructionid)
  nchlipsByInstruction(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown) {
    return this.reporting.byInstructionId('nchlips', principal, body);
  }
}
