import { Body, Controller, HttpCode, Post, Req, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { CurrentPrincipal } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { NpiMemberApi } from '../npi/npi-api';
import { ApiJsonResponse } from '@npi/api-contracts';
import { EXAMPLES, NchlBatchAnswerDto } from '../npi/nchl-answers.contracts';
import { nchlBatchBody } from '../npi/nchl-body.pipe';
import { SignedAnswerInterceptor } from '../npi/signed-answer.interceptor';
import { BATCH_REQUEST_EXAMPLES, NchlNonRealTimeBatchDto, NchlRealTimeBatchDto } from './batch-request';
import type { NchlNonRealTimeBatchPosted, NchlRealTimeBatchPosted } from './batch-request';
import { BatchesService } from './batches.service';

const realTimeBody = nchlBatchBody('cipsBatchDetail');
const nonRealTimeBody = nchlBatchBody('nchlIpsBatchDetail');

/**
 * NCHL's transaction APIs (docs/npi-reference.md "Transaction APIs"): thin, the rules are in BatchesService.
 * The service gets the validated body and the body as posted: the member signed the posted values.
 */
@ApiTags('transactions')
@Controller('api')
@NpiMemberApi()
@UseInterceptors(SignedAnswerInterceptor)
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Post('postcipsbatch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Real-time payment (one transaction); token over batchId,debtorAgent,debtorBranch,debtorAccount,batchAmount,batchCrncy,instructionId,creditorAgent,creditorBranch,creditorAccount,amount,userId' })
  @ApiBody({ type: NchlRealTimeBatchDto, examples: { nchl: { summary: "NCHL's sample values", value: BATCH_REQUEST_EXAMPLES.realTime } } })
  @ApiJsonResponse(200, NchlBatchAnswerDto, EXAMPLES.batchAnswer, "NCHL's answer plus `token` (NPI's signature, see /api/npi-certificate); an accepted credit answers creditStatus DEFER (credit deferred to settlement, final status in the reports)")
  async postCipsBatch(
    @CurrentPrincipal() principal: AccessTokenPrincipal,
    @Body(realTimeBody) body: NchlRealTimeBatchDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<object> {
    const answer = await this.batches.postRealTime(principal, body, request.body as NchlRealTimeBatchPosted);
    response.status(answer.httpStatus);
    return answer.body;
  }

  @Post('postnchlipsbatch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Non-real-time batch (up to 10,000 transactions, accepted or refused whole)' })
  @ApiBody({ type: NchlNonRealTimeBatchDto, examples: { nchl: { summary: "NCHL's sample values", value: BATCH_REQUEST_EXAMPLES.nonRealTime } } })
  @ApiJsonResponse(200, NchlBatchAnswerDto, EXAMPLES.nonRealTimeAnswer, "NCHL's answer (the same shape as postcipsbatch) plus `token`; accepted credits answer ACTC")
  async postNchlIpsBatch(
    @CurrentPrincipal() principal: AccessTokenPrincipal,
    @Body(nonRealTimeBody) body: NchlNonRealTimeBatchDto,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ): Promise<object> {
    const answer = await this.batches.postNonRealTime(principal, body, request.body as NchlNonRealTimeBatchPosted);
    response.status(answer.httpStatus);
    return answer.body;
  }
}
