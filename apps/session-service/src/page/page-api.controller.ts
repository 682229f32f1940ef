import { Body, Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { ApiErrorBody, ApiJsonResponse, ApiPublic, PlatformErrorDto, ZodBodyPipe, createZodDto, describeIssues } from '@npi/api-contracts';
import { Public } from '@npi/auth-guards';
import { PageApiError } from '../errors';
import { PageApiErrorsFilter } from './page-api-errors.filter';
import { PageApiService } from './page-api.service';

const sessionId = z.string().min(1).max(128).describe('the session the page shows, <participant_code>_<uuid>');

class PrepareBillDto extends createZodDto(
  z.object({
    session_id: sessionId,
    biller_code: z.string().min(1).max(64).describe('a biller enabled for the participant'),
    fields: z.record(z.string(), z.unknown()).describe("the biller form's values by field name; each is checked against the biller's form"),
    lang: z.string().max(8).optional().describe('en (default) or ne'),
  }),
) {}

class PageSessionDto extends createZodDto(z.object({ session_id: sessionId })) {}

class PreparedBillDto extends createZodDto(
  z.object({
    npiObject: z.string().describe('compact JWE: the npiObject signed by NPI Billers (PS256) and encrypted for the participant (RSA-OAEP-256/A256GCM)'),
    batchId: z.string(),
    instructionId: z.string(),
    amount: z.string().describe('NPR, two decimals'),
  }),
) {}

class PageSessionStateDto extends createZodDto(z.object({ state: z.enum(['ACTIVE', 'BILL_PREPARED', 'COMPLETED', 'EXPIRED']), expiresInMs: z.number().int().min(0) })) {}

/**
 * A page call whose body breaks its shape: a bad session_id is an invalid page token (nothing of the
 * session can be trusted), a bad biller_code a biller not allowed, anything else a form error.
 */
const pageBody = new ZodBodyPipe((issues) => {
  const paths = issues.map((issue) => issue.path.split('.')[0]);
  if (paths.some((path) => path === 'session_id' || path === '(body)')) return new PageApiError('ERR_PAGE_TOKEN_INVALID', 'page token is missing or invalid');
  if (paths.includes('biller_code')) return new PageApiError('ERR_BILLER_NOT_ALLOWED', 'biller is not enabled for this participant');
  return new PageApiError('ERR_FORM_INVALID', describeIssues(issues), [...new Set(paths)]);
});

/** Cookie header → map (no dependency for two lines of parsing). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const index = part.indexOf('=');
    if (index <= 0) continue;
    cookies[part.slice(0, index).trim()] = part.slice(index + 1).trim();
  }
  return cookies;
}

function callOf(request: Request, sessionId: unknown) {
  const hostOrigin = request.headers['x-billers-host-origin'];
  return {
    sessionId,
    origin: request.headers.origin,
    hostOrigin: typeof hostOrigin === 'string' ? hostOrigin : undefined,
    cookies: parseCookies(request.headers.cookie),
  };
}

@ApiTags('billers page')
@ApiPublic() // the page token travels in an HttpOnly cookie, checked by the service with the Origin
@Public()
@ApiErrorBody(PlatformErrorDto)
@Controller('billers/api')
@UseFilters(PageApiErrorsFilter)
export class PageApiController {
  constructor(private readonly pages: PageApiService) {}

  @Post('npi-object')
  @HttpCode(200)
  @ApiOperation({ summary: "The page's confirm: the npiObject signed by NPI Billers and encrypted for the participant" })
  @ApiHeader({ name: 'X-Billers-Host-Origin', description: 'the registered origin that frames the page' })
  @ApiJsonResponse(200, PreparedBillDto, { npiObject: 'eyJhbGciOiJSU0EtT0FFUC0yNTYiLCJlbmMiOiJBMjU2R0NNIiwia2lkIjoiYmFua3gtZW5jIn0...', batchId: 'NPIB2612061200001', instructionId: 'NPIB2612061200001-1', amount: '100.00' })
  @ApiResponse({ status: 401, description: 'ERR_PAGE_TOKEN_INVALID' })
  @ApiResponse({ status: 403, description: 'ERR_ORIGIN_NOT_ALLOWED, ERR_BILLER_NOT_ALLOWED' })
  @ApiResponse({ status: 410, description: 'ERR_SESSION_EXPIRED' })
  @ApiResponse({ status: 422, description: 'ERR_FORM_INVALID' })
  async prepare(@Body(pageBody) body: PrepareBillDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    return this.pages.prepareBill({
      ...callOf(request, body.session_id),
      billerCode: body.biller_code,
      fields: body.fields,
      lang: body.lang === 'ne' ? 'ne' : 'en',
    });
  }

  @Post('session')
  @HttpCode(200)
  @ApiOperation({ summary: "The session's state and remaining lifetime, for the page" })
  @ApiHeader({ name: 'X-Billers-Host-Origin', description: 'the registered origin that frames the page' })
  @ApiJsonResponse(200, PageSessionStateDto, { state: 'ACTIVE', expiresInMs: 3_412_000 })
  @ApiResponse({ status: 401, description: 'ERR_PAGE_TOKEN_INVALID' })
  @ApiResponse({ status: 403, description: 'ERR_ORIGIN_NOT_ALLOWED' })
  @ApiResponse({ status: 404, description: 'ERR_SESSION_NOT_FOUND' })
  @ApiResponse({ status: 410, description: 'ERR_SESSION_EXPIRED' })
  async session(@Body(pageBody) body: PageSessionDto, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    return this.pages.status(callOf(request, body.session_id));
  }
}
