import type { ServiceDefinition } from '@npi/service-runtime';
import { AppModule } from './app.module';
import { hcxConfigSchema } from './config';
import type { HcxGatewayConfig } from './config';

export const hcxServiceDefinition: ServiceDefinition<HcxGatewayConfig> = {
  name: 'hcx-gateway',
  schema: 'hcx',
  title: 'HCX gateway',
  description: 'HCX API security (seed 002): participant registry, /token/generate API keys, protocol routing, RS256 calls to participants.',
  configSchema: hcxConfigSchema,
  createModule: (deps) => AppModule.register(deps),
};
