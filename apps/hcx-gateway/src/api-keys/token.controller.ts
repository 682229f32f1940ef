import { Body, Controller, HttpCode, Inject, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBody, ApiOperation, ApiProperty, ApiResponse, ApiTags } from '@nestjs/swagger';
import { ApiPublic } from '@npi/api-contracts';
import type { Request, Response } from 'express';
import { z } from 'zod';
import { HcxErrorsFilter } from '../hcx-errors.filter';
import { parseInput } from '../validation';
import { TokenService } from './token.service';
import type { TokenResponse } from './token.service';

class TokenRequestDto {
  @ApiProperty({ description: 'participant_code' }) client_id!: string;
  @ApiProperty() client_secret!: string;
}

const tokenRequest = z.object({ client_id: z.string().min(1).max(128), client_secret: z.string().min(1).max(256) });

@ApiTags('api-keys')
@ApiPublic() // client_id and client_secret travel in the body
@Controller('token')
@UseFilters(HcxErrorsFilter)
export class TokenController {
  constructor(@Inject(TokenService) private readonly tokens: TokenService) {}

  @Post('generate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Seed 002 /token/generate: an HS256 API key signed with the client_secret' })
  @ApiBody({ type: TokenRequestDto })
  @ApiResponse({ status: 200, description: '{access_token, token_type: "Bearer", expires_in}' })
  @ApiResponse({ status: 401, description: 'ERR_ACCESS_DENIED (unknown client or wrong secret, indistinguishable)' })
  @ApiResponse({ status: 429, description: 'ERR_RATE_LIMITED' })
  async generate(@Body() body: unknown, @Req() request: Request, @Res({ passthrough: true }) response: Response): Promise<TokenResponse> {
    response.setHeader('Cache-Control', 'no-store');
    const { client_id, client_secret } = parseInput(tokenRequest, body);
    return this.tokens.generate(client_id, client_secret, request.socket.remoteAddress ?? 'unknown');
  }
}
