import { z } from 'zod';
import { port, requireBrokersForKafka, serviceBaseSchema } from '@npi/config';

/** payment-service configuration, validated once at startup (README "Configuration"). */
export const paymentConfigSchema = serviceBaseSchema
  .extend({
    PORT: port(3003),
  })
  .superRefine(requireBrokersForKafka);

export type PaymentServiceConfig = z.infer<typeof paymentConfigSchema>;
