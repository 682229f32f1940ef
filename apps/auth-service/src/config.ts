import { z } from 'zod';
import { port, requireBrokersForKafka, serviceBaseSchema } from '@npi/config';

/** auth-service configuration, validated once at startup (README "Configuration"). */
export const authConfigSchema = serviceBaseSchema
  .extend({
    PORT: port(3001),
  })
  .superRefine(requireBrokersForKafka);

export type AuthServiceConfig = z.infer<typeof authConfigSchema>;
