import { z } from 'zod';
import { port, requireBrokersForKafka, serviceBaseSchema } from '@npi/config';

/** hcx-gateway configuration, validated once at startup (README "Configuration"). */
export const hcxConfigSchema = serviceBaseSchema
  .extend({
    PORT: port(3004),
  })
  .superRefine(requireBrokersForKafka);

export type HcxGatewayConfig = z.infer<typeof hcxConfigSchema>;
