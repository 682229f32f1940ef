import { Body, Controller, HttpCode, Post, Res, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { NpiMemberApi } from '../npi/npi-api';
import { ApiJsonResponse } from '@npi/api-contracts';
import { NchlBillerConfirmAnswerDto } from '../npi/nchl-answers.contracts';
import { NCHL_SAMPLES } from '../npi/nchl-samples';
import { SignedAnswerInterceptor } from '../npi/signed-answer.interceptor';
import { BillersService } from './billers.service';

@ApiTags('billers')
@Controller('api/npibiller')
@NpiMemberApi()
@UseInterceptors(SignedAnswerInterceptor)
export class BillersController {
  constructor(private readonly billers: BillersService) {}

  @Post('confirmbillerpay.do')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm a bill an NPI Billers session prepared; token over batchId,debtorAgent,debtorBranch,debtorAccount,batchAmount,batchCrncy,id,instructionId,endToEndId,appId,refId,amount,userId' })
  @ApiBody({ schema: { example: { cipsBatchDetail: { batchId: 'T13-12818780108', batchAmount: 1000, batchCount: 1, batchCrncy: 'NPR', categoryPurpose: 'ECPG', debtorAgent: '2601', debtorBranch: '1', debtorName: 'Sita', debtorAccount: '0010123400000018' }, cipsTransactionDetail: { id: 12816806, instructionId: 'T13-12818780108-1', endToEndId: 'Traffic Fine Payment', amount: 1000, appId: 'MER-984-APP-1', refId: '187145' }, token: '<base64>' } } })
  @ApiJsonResponse(200, NchlBillerConfirmAnswerDto, NCHL_SAMPLES.confirmbillerpay, "NCHL's confirm answer: responseResult, cipsBatchDetail, cipsTransactionDetail (signed by the X-NPI-Token header)")
  async confirm(@CurrentPrincipal() principal: AccessTokenPrincipal, @Body() body: unknown, @Res({ passthrough: true }) response: Response): Promise<object> {
    const answer = await this.billers.confirm(principal, body);
    response.status(answer.httpStatus);
    return answer.body;
  }
}
