import type { ServiceDefinition } from '@npi/service-runtime';
import { HcxGatewayModule } from './hcx-gateway.module';
import { hcxConfigSchema } from './config';
import type { HcxGatewayConfig } from './config';
import { DISPATCHER_GROUP } from './dispatcher/routed-request.handler';

export const hcxServiceDefinition: ServiceDefinition<HcxGatewayConfig> = {
  name: 'hcx-gateway',
  schema: 'hcx',
  title: 'HCX gateway',
  description: 'HCX API security (seed 002): participant registry, /token/generate API keys, protocol routing, RS256 calls to participants.',
  configSchema: hcxConfigSchema,
  // Every provider comes from the capability modules and the platform's global ones (config, clock, ...).
  createModule: (deps) => HcxGatewayModule.register(deps.config),
  // The dispatcher's consumer group is kept from before it was an @EventPattern handler, and a
  // deployment may run it in separate pods only.
  eventGroups: (config) => ({
    [DISPATCHER_GROUP]: { groupId: config.HCX_DISPATCHER_GROUP_ID, fromBeginning: config.HCX_DISPATCHER_FROM_BEGINNING, enabled: config.HCX_DISPATCHER_ENABLED },
  }),
};
