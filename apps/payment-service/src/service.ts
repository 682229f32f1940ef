import type { ServiceDefinition } from '@npi/service-runtime';
import { PaymentServiceModule } from './payment-service.module';
import { paymentConfigSchema } from './config';
import type { PaymentServiceConfig } from './config';
import { directoryDocumentSchema, readDirectoryFile } from './registry/directory-document';
import demoDirectory from './registry/directory.demo.json';
import { DirectoryService } from './registry/directory.service';

export const paymentServiceDefinition: ServiceDefinition<PaymentServiceConfig> = {
  name: 'payment-service',
  schema: 'payment',
  title: 'NPI payment-service',
  description: 'NCHL-compatible NPI payment APIs (seed 001 sections 7.3-7.4): signature tokens, debtor account whitelist, debit caps.',
  configSchema: paymentConfigSchema,
  createModule: (deps) => PaymentServiceModule.register(deps),
  onStarted: async (app, deps) => {
    // An empty directory is filled from the directory file (or the shipped demo set); afterwards the
    // admin API maintains it. A broken file stops startup with the reason.
    const file = deps.config.PAYMENT_DIRECTORY_FILE;
    const document = file ? readDirectoryFile(file) : directoryDocumentSchema.parse(demoDirectory);
    await app.get(DirectoryService).bootstrap(document);
  },
};
