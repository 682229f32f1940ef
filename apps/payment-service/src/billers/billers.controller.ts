import { Body, Controller, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { NpiMemberApi, PostedBody, answered } from '../npi/npi-api';
import { ApiJsonResponse } from '@npi/api-contracts';
import { NchlBillerConfirmAnswerDto } from '../npi/nchl-answers.contracts';
import { NCHL_SAMPLES } from '../npi/nchl-samples';
import { SignedAnswerInterceptor } from '../npi/signed-answer.interceptor';
import { nchlBatchBody } from '../npi/nchl-body.pipe';
import { BILLER_CONFIRM_EXAMPLE, NchlBillerConfirmDto } from './billers.contracts';
import type { NchlBillerConfirmPosted } from './billers.contracts';
import { BillersService } from './billers.service';

/** A confirmation that breaks its shape: E007, the refusal's token over its batchId when readable. */
const confirmBody = nchlBatchBody('cipsBatchDetail');

@ApiTags('billers')
@Controller('api/npibiller')
@NpiMemberApi()
@UseInterceptors(SignedAnswerInterceptor)
export class BillersController {
  constructor(private readonly billers: BillersService) {}

  @Post('confirmbillerpay.do')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a bill an NPI Billers session prepared; token over batchId,debtorAgent,debtorBranch,debtorAccount,batchAmount,batchCrncy,id,instructionId,endToEndId,appId,refId,amount,userId' })
  @ApiBody({ type: NchlBillerConfirmDto, examples: { nchl: { summary: "NCHL's sample values", value: BILLER_CONFIRM_EXAMPLE } } })
  @ApiJsonResponse(200, NchlBillerConfirmAnswerDto, NCHL_SAMPLES.confirmbillerpay, "NCHL's confirm answer: responseResult, cipsBatchDetail, cipsTransactionDetail (signed by the X-NPI-Token header)")
  async confirm(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body(confirmBody) body: NchlBillerConfirmDto, @PostedBody() posted: NchlBillerConfirmPosted, @Res({ passthrough: true }) response: Response): Promise<object> {
    return answered(response, await this.billers.confirm(principal, body, posted));
  }
}
