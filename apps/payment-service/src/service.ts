import type { ServiceDefinition } from '@npi/service-runtime';
import { AppModule } from './app.module';
import { paymentConfigSchema } from './config';
import type { PaymentServiceConfig } from './config';

export const paymentServiceDefinition: ServiceDefinition<PaymentServiceConfig> = {
  name: 'payment-service',
  schema: 'payment',
  title: 'NPI payment-service',
  description: 'NCHL-compatible NPI payment APIs (seed 001 sections 7.3-7.4): signature tokens, debtor account whitelist, debit caps.',
  configSchema: paymentConfigSchema,
  createModule: (deps) => AppModule.register(deps),
};
