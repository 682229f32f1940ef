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
