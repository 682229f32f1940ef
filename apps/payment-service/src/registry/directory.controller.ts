import { Body, Controller, Delete, Get, HttpCode, Param, Post, Put, Query, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, ZodBodyPipe } from '@npi/api-contracts';
import { Operator } from '@npi/auth-guards';
import { ValidationFailedError } from '../domain/errors';
import { NpiMemberApi } from '../npi/npi-api';
import { NchlAutoReleaseDetailsDto, NchlBankDto, NchlBranchDto, NchlChargeSlabDto } from '../npi/nchl-answers.contracts';
import { NCHL_SAMPLES } from '../npi/nchl-samples';
import { DIRECTORY_EXAMPLES, DirectoryAdminErrorDto, DirectoryAutoReleaseBodyDto, DirectoryBankBodyDto, DirectoryBankViewDto, DirectoryChargeSlabsBodyDto, DirectoryDocumentDto, DirectoryImportResultDto } from './directory.contracts';
import { SignedAnswerInterceptor } from '../npi/signed-answer.interceptor';
import { nchlBody } from '../npi/nchl-body.pipe';
import { DETAILS_REQUEST_EXAMPLES, NchlAutoReleaseQueryDto } from './details.contracts';
import { DirectoryService } from './directory.service';

const bankList = (example: unknown[]) => ApiJsonResponse(200, [NchlBankDto], example, '[{bankId, bankName}]');
const branchList = (example: unknown[]) => ApiJsonResponse(200, [NchlBranchDto], example, '[{branchId, bankId, branchName}]');
const autoReleaseBody = ApiBody({ type: NchlAutoReleaseQueryDto, examples: { nchl: { summary: "NCHL's sample", value: DETAILS_REQUEST_EXAMPLES.autoRelease } } });

/** NCHL's list APIs (API specification section 5.6), answered from the directory. */
@ApiTags('lists')
@Controller('api')
@NpiMemberApi()
@UseInterceptors(SignedAnswerInterceptor)
export class DirectoryController {
  constructor(private readonly directory: DirectoryService) {}

  @Get('getbanklist')
  @ApiOperation({ summary: 'NCHL-IPS (non-real-time) member banks' })
  @bankList(NCHL_SAMPLES.getbanklist)
  ipsBanks() {
    return this.directory.bankList('ipsEnabled');
  }

  @Get('getcipsbanklist')
  @ApiOperation({ summary: 'connectIPS (real-time) member banks' })
  @bankList(NCHL_SAMPLES.getcipsbanklist)
  cipsBanks() {
    return this.directory.bankList('cipsEnabled');
  }

  @Get('getbranchlist')
  @ApiOperation({ summary: 'Branches of the NCHL-IPS banks' })
  @branchList(NCHL_SAMPLES.getbranchlist)
  ipsBranches() {
    return this.directory.branchList({ flag: 'ipsEnabled' });
  }

  @Get('getcipsbranchlist')
  @ApiOperation({ summary: 'Branches of the connectIPS banks' })
  @branchList(NCHL_SAMPLES.getcipsbranchlist)
  cipsBranches() {
    return this.directory.branchList({ flag: 'cipsEnabled' });
  }

  @Get('getbranchlist/:bankId')
  @ApiOperation({ summary: 'Branches of one bank (E007 for a malformed bankId, E004 for an unknown bank)' })
  @branchList(NCHL_SAMPLES.getbranchlistBankId)
  bankBranches(@Param('bankId') bankId: string) {
    return this.directory.branchList({ bankId });
  }

  @Get('getcipschargelist/:appId')
  @ApiOperation({ summary: "The charge slabs of an app (MER-1-APP-3: fund transfer); the first slab whose maxAmt covers the amount applies" })
  @ApiJsonResponse(200, [NchlChargeSlabDto], NCHL_SAMPLES.getcipschargelist, '[{scheme, currency, maxAmt, minChargeAmt, maxChargeAmt, percent}]; [] for an app without slabs')
  chargeList(@Param('appId') appId: string) {
    return this.directory.chargeList(appId);
  }

  @Get('getacvalidationenabledbanklist')
  @ApiOperation({ summary: 'Banks with account validation enabled' })
  @bankList(NCHL_SAMPLES.getacvalidationenabledbanklist)
  accountValidationBanks() {
    return this.directory.bankList('accountValidationEnabled');
  }

  @Get('getreversalenabledbanklist')
  @ApiOperation({ summary: 'Banks with auto reversal enabled' })
  @bankList(NCHL_SAMPLES.getreversalenabledbanklist)
  reversalBanks() {
    return this.directory.bankList('autoReversalEnabled');
  }

  @Post('tp/auto-release/details')
  @HttpCode(200)
  @ApiOperation({ summary: 'Per category purpose: the largest non-real-time debit a bank releases without manual approval ({bankCode} optional)' })
  @autoReleaseBody
  @ApiJsonResponse(200, NchlAutoReleaseDetailsDto, NCHL_SAMPLES.tpAutoReleaseDetails)
  autoRelease(@Body(nchlBody) body: NchlAutoReleaseQueryDto) {
    return this.directory.autoReleaseDetails(body.bankCode);
  }

  @Get('tp/auto-release/details')
  @ApiOperation({ summary: 'The same as a GET (?bankCode= optional)' })
  @ApiJsonResponse(200, NchlAutoReleaseDetailsDto, NCHL_SAMPLES.tpAutoReleaseDetails)
  autoReleaseByQuery(@Query('bankCode') bankCode?: string) {
    return this.directory.autoReleaseDetails(bankCode);
  }
}

const CHANGED_BY = 'admin-api';

/** A directory body that breaks its shape: E007 "validation failed" with one fieldError per failed rule; no body at all is `(body): Required`. */
const directoryAdminBody = new ZodBodyPipe(
  (issues) => new ValidationFailedError('validation failed', undefined, issues.map((issue) => ({ field: issue.segments.length > 0 ? issue.segments.join('.') : '(body)', message: issue.message }))),
  { missingBodyAsEmptyObject: false },
);

/** The operator's maintenance of the directory; every change is published as `payments.directory.changed.v1`. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiErrorBody(DirectoryAdminErrorDto, { 400: 'E007: invalid body or id', 401: 'E999: admin token required' })
@Controller('admin/directory')
@Operator()
export class DirectoryAdminController {
  constructor(private readonly directory: DirectoryService) {}

  @Put()
  @ApiOperation({ summary: 'Import a directory document (the directory file format): listed banks, apps and limits replace the stored ones whole' })
  @ApiBody({ type: DirectoryDocumentDto })
  @ApiJsonResponse(200, DirectoryImportResultDto, { banks: 6, chargeSlabApps: 2, autoReleaseBanks: 1 })
  importDocument(@Body(directoryAdminBody) body: DirectoryDocumentDto) {
    return this.directory.importDocument(body, CHANGED_BY);
  }

  @Put('banks/:bankId')
  @ApiOperation({ summary: 'Create or replace a bank with its list flags and all its branches' })
  @ApiBody({ type: DirectoryBankBodyDto })
  @ApiJsonResponse(200, DirectoryBankViewDto, DIRECTORY_EXAMPLES.bank)
  putBank(@Param('bankId') bankId: string, @Body(directoryAdminBody) body: DirectoryBankBodyDto) {
    return this.directory.putBank(bankId, body, CHANGED_BY);
  }

  @Delete('banks/:bankId')
  @HttpCode(204)
  @ApiOperation({ summary: 'Remove a bank, its branches and its auto-release limits' })
  @ApiResponse({ status: 204, description: 'removed' })
  @ApiResponse({ status: 404, description: 'E004: no such bank' })
  async removeBank(@Param('bankId') bankId: string) {
    await this.directory.removeBank(bankId, CHANGED_BY);
  }

  @Put('charge-slabs/:appId')
  @ApiOperation({ summary: "Replace an app's charge slabs ({slabs: [{scheme, currency, maxAmt, minChargeAmt, maxChargeAmt, percent}]})" })
  @ApiBody({ type: DirectoryChargeSlabsBodyDto })
  @ApiJsonResponse(200, [NchlChargeSlabDto], NCHL_SAMPLES.getcipschargelist)
  putChargeSlabs(@Param('appId') appId: string, @Body(directoryAdminBody) body: DirectoryChargeSlabsBodyDto) {
    return this.directory.putChargeSlabs(appId, body, CHANGED_BY);
  }

  @Put('auto-release/:bankId')
  @ApiOperation({ summary: "Replace a bank's auto-release limits ({limits: [{categoryPurpose, maxAutoReleaseAmount, currency, status}]})" })
  @ApiBody({ type: DirectoryAutoReleaseBodyDto })
  @ApiJsonResponse(200, NchlAutoReleaseDetailsDto, NCHL_SAMPLES.tpAutoReleaseDetails)
  putAutoRelease(@Param('bankId') bankId: string, @Body(directoryAdminBody) body: DirectoryAutoReleaseBodyDto) {
    return this.directory.putAutoReleaseLimits(bankId, body, CHANGED_BY);
  }
}
