import { Controller, Get, Header, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ApiErrorBody, ApiJsonResponse, ApiPublic, JWK_SET_EXAMPLE, JwkSetDto, PlatformErrorDto } from '@npi/api-contracts';
import { Public } from '@npi/auth-guards';
import { billersJwks } from '../billers-keys';
import { BILLERS_KEYS } from '../tokens';
import type { BillersKeys } from '../billers-keys';

@ApiTags('keys')
@ApiPublic()
@Public()
@ApiErrorBody(PlatformErrorDto, { 500: 'ERR_INTERNAL' })
@Controller('.well-known')
export class BillersJwksController {
  private readonly document: ReturnType<typeof billersJwks>;

  constructor(@Inject(BILLERS_KEYS) keys: BillersKeys) {
    // Keys change only with a restart (configuration), so the document is built once.
    this.document = billersJwks(keys);
  }

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({ summary: "NPI Billers' public keys: npiObject signing (PS256) and launch-token encryption (RSA-OAEP-256), previous keys kept during a rotation" })
  @ApiJsonResponse(200, JwkSetDto, JWK_SET_EXAMPLE, 'JWK Set (RFC 7517), current keys first')
  jwks(): ReturnType<typeof billersJwks> {
    return this.document;
  }
}
