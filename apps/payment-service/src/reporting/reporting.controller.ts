import { Body, Controller, HttpCode, Post, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { NpiMemberApi } from '../npi/npi-api';
import { ApiJsonResponse } from '@npi/api-contracts';
import { EXAMPLES, NchlCipsTransactionReportDto, NchlIpsTransactionReportDto } from '../npi/nchl-answers.contracts';
import { nchlBody } from '../npi/nchl-body.pipe';
import { SignedAnswerInterceptor } from '../npi/signed-answer.interceptor';
import { NchlReportByBatchDto, NchlReportByDateDto, NchlReportByInstructionDto, REPORT_REQUEST_EXAMPLES } from './reporting.contracts';
import { ReportingService } from './reporting.service';

const byDateBody = ApiBody({ type: NchlReportByDateDto, examples: { nchl: { summary: "NCHL's sample", value: REPORT_REQUEST_EXAMPLES.byDate } } });
const byBatchBody = ApiBody({ type: NchlReportByBatchDto, examples: { nchl: { summary: "NCHL's sample", value: REPORT_REQUEST_EXAMPLES.byBatch } } });
const byInstructionBody = ApiBody({ type: NchlReportByInstructionDto, examples: { nchl: { summary: "NCHL's sample", value: REPORT_REQUEST_EXAMPLES.byInstruction } } });
const cipsList = ApiJsonResponse(200, [NchlCipsTransactionReportDto], [EXAMPLES.cipsTransaction], "NCHL's transaction objects, each with its batch nested; [] when nothing matches");
const cipsOne = ApiJsonResponse(200, NchlCipsTransactionReportDto, EXAMPLES.cipsTransaction, "NCHL's transaction object with its batch nested (E004, HTTP 400, when there is none)");
const ipsList = ApiJsonResponse(200, [NchlIpsTransactionReportDto], [EXAMPLES.ipsTransaction], "NCHL's transaction objects, each with its batch nested; [] when nothing matches");
const ipsOne = ApiJsonResponse(200, NchlIpsTransactionReportDto, EXAMPLES.ipsTransaction, "NCHL's transaction object with its batch nested (E004, HTTP 400, when there is none)");

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
  @cipsList
  cipsByDate(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body(nchlBody) body: NchlReportByDateDto) {
    return this.reporting.byDate('cips', principal, body);
  }

  @Post('getcipstxnlistbybatchid')
  @HttpCode(200)
  @ApiOperation({ summary: 'The transactions of a real-time batch' })
  @byBatchBody
  @cipsList
  cipsByBatch(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body(nchlBody) body: NchlReportByBatchDto) {
    return this.reporting.byBatchId('cips', principal, body);
  }

  @Post('getcipstxnbyinstructionid')
  @HttpCode(200)
  @ApiOperation({ summary: 'A real-time transaction by batchId and instructionId' })
  @byInstructionBody
  @cipsOne
  cipsByInstruction(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body(nchlBody) body: NchlReportByInstructionDto) {
    return this.reporting.byInstructionId('cips', principal, body);
  }

  @Post('getnchlipstxnlistbydate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Non-real-time transactions between txnDateFrom and txnDateTo' })
  @byDateBody
  @ipsList
  nchlipsByDate(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body(nchlBody) body: NchlReportByDateDto) {
    return this.reporting.byDate('nchlips', principal, body);
  }

  @Post('getnchlipstxnlistbybatchid')
  @HttpCode(200)
  @ApiOperation({ summary: 'The transactions of a non-real-time batch' })
  @byBatchBody
  @ipsList
  nchlipsByBatch(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body(nchlBody) body: NchlReportByBatchDto) {
    return this.reporting.byBatchId('nchlips', principal, body);
  }

  @Post('getnchlipstxnlistbyinstructionid')
  @HttpCode(200)
  @ApiOperation({ summary: 'A non-real-time transaction by batchId and instructionId (NCHL\'s path, with "list" although it answers one object)' })
  @byInstructionBody
  @ipsOne
  nchlipsByInstruction(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body(nchlBody) body: NchlReportByInstructionDto) {
    return this.reporting.byInstructionId('nchlips', principal, body);
  }
}
