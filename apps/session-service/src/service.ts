import type { INestApplication } from '@nestjs/common';
import type { ServiceDefinition, ServiceDependencies } from '@npi/service-runtime';
import type { Subscription } from '@npi/messaging';
import { SESSION_STORE } from '@npi/session/data-access';
import type { SessionStore } from '@npi/session/data-access';
import { AppModule } from './app.module';
import { sessionConfigSchema } from './config';
import type { SessionServiceConfig } from './config';
import { subscribeBillpayCompleted } from './events/billpay-completed.consumer';

const subscriptions = new WeakMap<INestApplication, Subscription>();

export const sessionServiceDefinition: ServiceDefinition<SessionServiceConfig> = {
  name: 'session-service',
  schema: 'session',
  title: 'NPI Billers session-service',
  description: 'NPI Billers v2 (seed 000): signed-then-encrypted launch tokens, 1-hour sessions, origin and iframe validation, npiObject.',
  configSchema: sessionConfigSchema,
  createModule: (deps) => AppModule.register(deps),
  async onStarted(app: INestApplication, deps: ServiceDependencies<SessionServiceConfig>) {
    const subscription = await subscribeBillpayCompleted({ ...deps, sessions: app.get<SessionStore>(SESSION_STORE) });
    subscriptions.set(app, subscription);
  },
  async onStopping(app: INestApplication) {
    await subscriptions.get(app)?.close();
  },
};
