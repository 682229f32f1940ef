import type { ServiceDefinition } from '@npi/service-runtime';
import { AppModule, GATEWAY } from './app.module';
import { hcxConfigSchema } from './config';
import type { HcxGatewayConfig } from './config';
import type { Gateway } from './gateway';

export const hcxServiceDefinition: ServiceDefinition<HcxGatewayConfig> = {
  name: 'hcx-gateway',
  schema: 'hcx',
  title: 'HCX gateway',
  description: 'HCX API security (seed 002): participant registry, /token/generate API keys, protocol routing, RS256 calls to participants.',
  configSchema: hcxConfigSchema,
  createModule: (deps) => AppModule.register(deps),
  onStarted: async (app) => {
    await app.get<Gateway>(GATEWAY).start();
  },
  onStopping: async (app) => {
    await app.get<Gateway>(GATEWAY).stop();
  },
};

export { GATEWAY };
