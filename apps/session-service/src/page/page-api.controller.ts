import { Body, Controller, HttpCode, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { PageApiErrorsFilter } from './page-api-errors.filter';
import { PageApiService } from './page-api.service';

class PrepareBillBody {
  @ApiProperty({ example: 'bankx_4e20a191-753d-4efa-90bf-f4f538d8a4ba' }) session_id!: string;
  @ApiProperty({ example: 'NTC-PREPAID' }) biller_code!: string;
  @ApiProperty({ example: { mobile: '9841000000', amount: '100' } }) fields!: Record<string, string>;
  @ApiProperty({ required: false, enum: ['en', 'ne'] }) lang?: string;
}

class SessionBody {
  @ApiProperty() session_id!: string;
}

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
@Controller('billers/api')
@UseFilters(PageApiErrorsFilter)
export class PageApiController {
  constructor(private readonly pages: PageApiService) {}

  @Post('npi-object')
  @HttpCode(200)
  @ApiOperation({ summary: "The page's confirm: the npiObject signed by NPI Billers and encrypted for the participant" })
  @ApiHeader({ name: 'X-Billers-Host-Origin', description: 'the registered origin that frames the page' })
  @ApiResponse({ status: 200, description: '{npiObject: "<compact JWE>", batchId, instructionId, amount}' })
  @ApiResponse({ status: 401, description: 'ERR_PAGE_TOKEN_INVALID' })
  @ApiResponse({ status: 403, description: 'ERR_ORIGIN_NOT_ALLOWED, ERR_BILLER_NOT_ALLOWED' })
  @ApiResponse({ status: 410, description: 'ERR_SESSION_EXPIRED' })
  @ApiResponse({ status: 422, description: 'ERR_FORM_INVALID' })
  async prepare(@Body() body: PrepareBillBody, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    const input = (body ?? {}) as Partial<PrepareBillBody>;
    return this.pages.prepareBill({
      ...callOf(request, input.session_id),
      billerCode: input.biller_code,
      fields: input.fields,
      lang: input.lang === 'ne' ? 'ne' : 'en',
    });
  }

  @Post('session')
  @HttpCode(200)
  @ApiOperation({ summary: "The session's state and remaining lifetime, for the page" })
  async session(@Body() body: SessionBody, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    response.setHeader('Cache-Control', 'no-store');
    return this.pages.status(callOf(request, (body as Partial<SessionBody> | undefined)?.session_id));
  }
}
