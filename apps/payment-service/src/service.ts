import type { ServiceDefinition } from '@npi/service-runtime';
import { BANK_REGISTRY } from '@npi/payment/data-access';
import type { BankRegistry } from '@npi/payment/data-access';
import { AppModule } from './app.module';
import { paymentConfigSchema } from './config';
import type { PaymentServiceConfig } from './config';
import { REFERENCE_BANKS } from './registry/reference-data';

export const paymentServiceDefinition: ServiceDefinition<PaymentServiceConfig> = {
  name: 'payment-service',
  schema: 'payment',
  title: 'NPI payment-service',
  description: 'NCHL-compatible NPI payment APIs (seed 001 sections 7.3-7.4): signature tokens, debtor account whitelist, debit caps.',
  configSchema: paymentConfigSchema,
  createModule: (deps) => AppModule.register(deps),
  onStarted: async (app) => {
    await app.get<BankRegistry>(BANK_REGISTRY).seed(REFERENCE_BANKS);
  },
};
