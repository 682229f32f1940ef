import { Body, Controller, Get, HttpCode, Inject, Param, Post, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiPublic } from '@npi/api-contracts';
import { CurrentPrincipal } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { NpiErrorsFilter } from '../npi/npi-errors.filter';
import { NpiMemberApi } from '../npi/npi-api';
import { NPI_SIGNER, NpiResponseSigner } from '../npi/signing';
import { DetailsService } from './details.service';

/** Lookups and details (docs/npi-reference.md "Details"): thin, the answers are built in DetailsService. */
@ApiTags('details')
@Controller('api')
@NpiMemberApi()
export class DetailsController {
  constructor(private readonly details: DetailsService) {}

  @Get('getcipsbanklist')
  @ApiOperation({ summary: 'connectIPS member banks' })
  bankList() {
    return this.details.bankList();
  }

  @Get('getbranchlist/:bankId')
  @ApiOperation({ summary: 'Branches of a bank' })
  branchList(@Param('bankId') bankId: string) {
    return this.details.branchList(bankId);
  }

  @Post('validatebankaccount')
  @HttpCode(200)
  @ApiOperation({ summary: 'Validate a creditor account: existence and name match percentage' })
  validate(@Body() body: unknown) {
    return this.details.validateAccount(body);
  }

  @Get('debit-cap/details')
  @ApiOperation({ summary: 'Per bank: debit cap, what is left this settlement session, the session id' })
  debitCap(@CurrentPrincipal() principal: AccessTokenPrincipal) {
    return this.details.debitCapDetails(principal);
  }

  @Get('bank-account/details')
  @ApiOperation({ summary: "The member's whitelisted debtor accounts" })
  bankAccounts(@CurrentPrincipal() principal: AccessTokenPrincipal) {
    return this.details.bankAccountDetails(principal);
  }
}

/** NPI's certificate, to verify the `token` of every answer (public: it is a certificate). */
@ApiTags('details')
@ApiPublic()
@Controller('api')
@UseFilters(NpiErrorsFilter)
export class NpiCertificateController {
  constructor(@Inject(NPI_SIGNER) private readonly signer: NpiResponseSigner) {}

  @Get('npi-certificate')
  @ApiOperation({ summary: "NPI's signing certificate (PEM) for answer tokens" })
  certificate() {
    return { certificatePem: this.signer.certificatePem };
  }
}
