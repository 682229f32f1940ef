import { Body, Controller, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { NpiMemberApi, PostedBody, answered } from '../npi/npi-api';
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
  async postCipsBatch(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body(realTimeBody) body: NchlRealTimeBatchDto, @PostedBody() posted: NchlRealTimeBatchPosted, @Res({ passthrough: true }) response: Response): Promise<object> {
    return answered(response, await this.batches.postRealTime(principal, body, posted));
  }

  @Post('postnchlipsbatch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Non-real-time batch (up to 10,000 transactions, accepted or refused whole)' })
  @ApiBody({ type: NchlNonRealTimeBatchDto, examples: { nchl: { summary: "NCHL's sample values", value: BATCH_REQUEST_EXAMPLES.nonRealTime } } })
  @ApiJsonResponse(200, NchlBatchAnswerDto, EXAMPLES.nonRealTimeAnswer, "NCHL's answer (the same shape as postcipsbatch) plus `token`; accepted credits answer ACTC")
  async postNchlIpsBatch(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body(nonRealTimeBody) body: NchlNonRealTimeBatchDto, @PostedBody() posted: NchlNonRealTimeBatchPosted, @Res({ passthrough: true }) response: Response): Promise<object> {
    return answered(response, await this.batches.postNonRealTime(principal, body, posted));
  }
}
