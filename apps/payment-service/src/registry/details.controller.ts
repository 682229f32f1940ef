import { Body, Controller, Get, HttpCode, Inject, Post, UseFilters, UseInterceptors } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, ApiPublic } from '@npi/api-contracts';
import { EXAMPLES, NchlAccountValidationDto, NchlTechnicalErrorDto, NchlBankAccountDetailsDto, NchlDebitCapDetailsDto, NpiCertificateDto } from '../npi/nchl-answers.contracts';
import { CurrentPrincipal, Public } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { NpiErrorsFilter } from '../npi/npi-errors.filter';
import { NpiMemberApi } from '../npi/npi-api';
import { NCHL_SAMPLES } from '../npi/nchl-samples';
import { ANSWER_SIGNATURE_HEADER, SignedAnswerInterceptor } from '../npi/signed-answer.interceptor';
import { NpiResponseSigner } from '../npi/signing';
import { NPI_SIGNER } from '../tokens';
import { nchlBody } from '../npi/nchl-body.pipe';
import { DETAILS_REQUEST_EXAMPLES, NchlValidateAccountDto } from './details.contracts';
import { DetailsService } from './details.service';

/** Account validation and the member's details (NCHL API specification sections 5.3 and 5.6): thin, the answers are built in DetailsService. */
@ApiTags('details')
@Controller('api')
@NpiMemberApi()
@UseInterceptors(SignedAnswerInterceptor)
export class DetailsController {
  constructor(private readonly details: DetailsService) {}

  @Post('validatebankaccount')
  @HttpCode(200)
  @ApiOperation({ summary: 'Validate a creditor account: existence and name match percentage (000 = 100 %, 999 > 80 %, 523 mismatch)' })
  @ApiBody({ type: NchlValidateAccountDto, examples: { nchl: { summary: "NCHL's sample", value: DETAILS_REQUEST_EXAMPLES.validateAccount } } })
  @ApiJsonResponse(200, NchlAccountValidationDto, EXAMPLES.accountValidation, "NCHL's answer; the percentage under both spellings (`matchPercentate` as in NCHL's sample, `matchPercentage` as in its field table)")
  validate(@Body(nchlBody) body: NchlValidateAccountDto) {
    return this.details.validateAccount(body);
  }

  @Get('debit-cap/details')
  @ApiOperation({ summary: 'Per bank: debit cap, what is left this settlement session (clrBalAmount), the session number' })
  @ApiJsonResponse(200, NchlDebitCapDetailsDto, NCHL_SAMPLES.debitCapDetails)
  debitCap(@CurrentPrincipal() principal: AccessTokenPrincipal) {
    return this.details.debitCapDetails(principal);
  }

  @Get('bank-account/details')
  @ApiOperation({ summary: "The member's whitelisted debtor accounts (account numbers masked: first 2 and last 4 digits)" })
  @ApiJsonResponse(200, NchlBankAccountDetailsDto, NCHL_SAMPLES.bankAccountDetails)
  bankAccounts(@CurrentPrincipal() principal: AccessTokenPrincipal) {
    return this.details.bankAccountDetails(principal);
  }
}

/** NPI's certificate, to verify the signatures of NPI's answers (public: it is a certificate). */
@ApiTags('details')
@ApiPublic()
@Public()
@ApiErrorBody(NchlTechnicalErrorDto, { 500: 'E999 technical error' })
@Controller('api')
@UseFilters(NpiErrorsFilter)
export class NpiCertificateController {
  constructor(@Inject(NPI_SIGNER) private readonly signer: NpiResponseSigner) {}

  @Get('npi-certificate')
  @ApiOperation({
    summary: "NPI's signing certificate (PEM), to verify NPI's answer signatures",
    description: [
      'Every data answer of an NPI API carries the header `' + ANSWER_SIGNATURE_HEADER + '`: base64 of SHA256withRSA (RSASSA-PKCS1-v1_5, SHA-256) with NPI\'s key over the exact bytes of the answer body as received.',
      'Verify: `openssl x509 -in npi.pem -pubkey -noout > npi.pub; base64 -d token.b64 > answer.sig; openssl dgst -sha256 -verify npi.pub -signature answer.sig answer.json`.',
      'The transaction answers (`postcipsbatch`, `postnchlipsbatch`, and their refusals that name a batchId) also carry NCHL\'s body `token`: SHA256withRSA over',
      '`batchId,responseCode,debitStatus` then per transaction `,instructionId,responseCode,creditStatus` (a null as the empty string).',
    ].join(' '),
  })
  @ApiJsonResponse(200, NpiCertificateDto, EXAMPLES.certificate)
  certificate() {
    return { certificatePem: this.signer.certificatePem };
  }
}
