import type { ServiceDefinition } from '@npi/service-runtime';
import { AuthServiceModule } from './auth-service.module';
import { authConfigSchema } from './config';
import type { AuthServiceConfig } from './config';

export const authServiceDefinition: ServiceDefinition<AuthServiceConfig> = {
  name: 'auth-service',
  schema: 'auth',
  title: 'NPI auth-service',
  description: 'OAuth 2.0 token server for NPI members (seed 001 sections 7.1-7.2): password and refresh grants, revocation, introspection, JWKS, source IP allowlists.',
  configSchema: authConfigSchema,
  createModule: (deps) => AuthServiceModule.register(deps),
};
