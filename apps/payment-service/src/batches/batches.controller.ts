import { Body, Controller, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { NpiMemberApi } from '../npi/npi-api';
import { ApiJsonResponse } from '@npi/api-contracts';
import { EXAMPLES, NchlBatchAnswerDto } from '../npi/nchl-answers.contracts';
import { SignedAnswerInterceptor } from '../npi/signed-answer.interceptor';
import { BatchesService } from './batches.service';

const batchExample = {
  batchId: 'KHA-198706', batchAmount: 1500, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG',
  debtorAgent: '2501', debtorBranch: '1', debtorName: 'Khalti', debtorAccount: '0010055573200018',
};
const transactionExample = {
  instructionId: 'KHA-198706-1', endToEndId: 'Payment', amount: 1500, purpose: 'PAYM',
  creditorAgent: '4501', creditorBranch: '23', creditorName: 'Ram Bahadur', creditorAccount: '001011160000374',
};

/** NCHL's transaction APIs (docs/npi-reference.md "Transaction APIs"): thin, the rules are in BatchesService. */
@ApiTags('transactions')
@Controller('api')
@NpiMemberApi()
@UseInterceptors(SignedAnswerInterceptor)
export class BatchesController {
  constructor(private readonly batches: BatchesService) {}

  @Post('postcipsbatch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Real-time payment (one transaction); token over batchId,debtorAgent,debtorBranch,debtorAccount,batchAmount,batchCrncy,instructionId,creditorAgent,creditorBranch,creditorAccount,amount,userId' })
  @ApiBody({ schema: { example: { cipsBatchDetail: batchExample, cipsTransactionDetailList: [transactionExample], token: '<base64 SHA256withRSA>' } } })
  @ApiJsonResponse(200, NchlBatchAnswerDto, EXAMPLES.batchAnswer, "NCHL's answer plus `token` (NPI's signature, see /api/npi-certificate); an accepted credit answers creditStatus DEFER (credit deferred to settlement, final status in the reports)")
  async postCipsBatch(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<object> {
    const answer = await this.batches.postRealTime(principal, body);
    response.status(answer.httpStatus);
    return answer.body;
  }

  @Post('postnchlipsbatch')
  @HttpCode(200)
  @ApiOperation({ summary: 'Non-real-time batch (up to 10,000 transactions, accepted or refused whole)' })
  @ApiBody({ schema: { example: { nchlIpsBatchDetail: { ...batchExample, categoryPurpose: 'CUST' }, nchlIpsTransactionDetailList: [transactionExample], token: '<base64>' } } })
  @ApiJsonResponse(200, NchlBatchAnswerDto, EXAMPLES.nonRealTimeAnswer, "NCHL's answer (the same shape as postcipsbatch) plus `token`; accepted credits answer ACTC")
  async postNchlIpsBatch(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<object> {
    const answer = await this.batches.postNonRealTime(principal, body);
    response.status(answer.httpStatus);
    return answer.body;
  }
}
