import { z } from 'zod';
import { port, requireBrokersForKafka, serviceBaseSchema } from '@npi/config';

/** session-service configuration, validated once at startup (README "Configuration"). */
export const sessionConfigSchema = serviceBaseSchema
  .extend({
    PORT: port(3002),
  })
  .superRefine(requireBrokersForKafka);

export type SessionServiceConfig = z.infer<typeof sessionConfigSchema>;
