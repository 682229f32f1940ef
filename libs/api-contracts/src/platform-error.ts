import { z } from 'zod';
import { createZodDto } from 'nestjs-zod';

/** The platform's error body (routes without a protocol of their own: admin, health, page API). */
export const platformErrorBody = z
  .object({
    error: z.object({
      code: z.string().describe('stable error code, e.g. ERR_VALIDATION'),
      message: z.string().describe('what was wrong, for a human'),
      fields: z.array(z.string()).optional().describe('form fields that failed validation, where the route reports them'),
    }),
    correlationId: z.string().optional().describe('x-correlation-id of the request, for support'),
  })
  .describe('Error answered by platform routes');

export class PlatformErrorDto extends createZodDto(platformErrorBody) {}

/** A JWK Set (RFC 7517) of public keys, as every service's `/.well-known/jwks.json` answers. */
export const jwkSet = z.object({
  keys: z.array(
    z
      .object({
        kty: z.string().describe('RSA'),
        kid: z.string(),
        use: z.enum(['sig', 'enc']).optional(),
        alg: z.string().optional(),
        n: z.string().optional(),
        e: z.string().optional(),
      })
      .passthrough(),
  ),
});

export class JwkSetDto extends createZodDto(jwkSet) {}

export const JWK_SET_EXAMPLE = {
  keys: [{ kty: 'RSA', kid: 'k-2026-12', use: 'sig', alg: 'RS256', n: '0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw', e: 'AQAB' }],
};
