import type { ServiceDefinition } from '@npi/service-runtime';
import { SessionServiceModule } from './session-service.module';
import { sessionConfigSchema } from './config';
import type { SessionServiceConfig } from './config';

export const sessionServiceDefinition: ServiceDefinition<SessionServiceConfig> = {
  name: 'session-service',
  schema: 'session',
  title: 'NPI Billers session-service',
  description: 'NPI Billers v2 (seed 000): signed-then-encrypted launch tokens, 1-hour sessions, origin and iframe validation, npiObject.',
  configSchema: sessionConfigSchema,
  createModule: (deps) => SessionServiceModule.register(deps),
};
