/**
 * The four services as the standalone launcher sees them: definition, port, how each finds the
 * others, and its optional standalone hooks (apps/<svc>/src/standalone.ts: secrets generated at
 * first start, demo data).
 */
import type { RunningService, ServiceDefinition } from '@npi/service-runtime';

export interface DemoContext {
  demoDir: string;
  shared: Record<string, unknown>;
}

export interface StandaloneService {
  name: string;
  defaultPort: number;
  portVariable: string;
  definition: ServiceDefinition<never>;
  crossServiceEnvironment(urls: Record<string, string>): Record<string, string>;
  standaloneEnvironment?(dataDir: string): Record<string, string>;
  seedDemo?(service: RunningService, context: DemoContext): Promise<Record<string, unknown>>;
}

interface StandaloneHooks {
  standaloneEnvironment?(dataDir: string): Record<string, string>;
  seedDemo?(service: RunningService, context: DemoContext): Promise<Record<string, unknown>>;
}

function hooksOf(app: string): StandaloneHooks {
  try {
    return require(`../../apps/${app}/src/standalone`) as StandaloneHooks;
  } catch (error) {
    if ((error as { code?: string }).code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes('standalone')) return {};
    throw error;
  }
}

function definitionOf(app: string, exportName: string): ServiceDefinition<never> {
  return (require(`../../apps/${app}/src/service`) as Record<string, ServiceDefinition<never>>)[exportName];
}

function service(name: string, defaultPort: number, portVariable: string, exportName: string, cross: StandaloneService['crossServiceEnvironment']): StandaloneService {
  const hooks = hooksOf(name);
  return {
    name,
    defaultPort,
    portVariable,
    definition: definitionOf(name, exportName),
    crossServiceEnvironment: cross,
    standaloneEnvironment: hooks.standaloneEnvironment,
    seedDemo: hooks.seedDemo,
  };
}

/** Resource services verify auth-service's access tokens through its JWKS. */
const authEnvironment = (urls: Record<string, string>) => ({
  AUTH_ISSUER: urls['auth-service'],
  AUTH_JWKS_URL: `${urls['auth-service']}/.well-known/jwks.json`,
});

/**
 * The token-endpoint rate limit is the one auth-service setting `npm start` takes from its own
 * environment (the limit stays the product's, 600 per minute by default): a load test from one
 * address and one demo client sets it above its offered load (`npm run bench -- standalone` does).
 */
const authOwnEnvironment = (urls: Record<string, string>) => ({
  AUTH_ISSUER: urls['auth-service'],
  ...(process.env.AUTH_RATE_LIMIT_PER_MINUTE ? { AUTH_RATE_LIMIT_PER_MINUTE: process.env.AUTH_RATE_LIMIT_PER_MINUTE } : {}),
});

export const STANDALONE_SERVICES: StandaloneService[] = [
  service('auth-service', 3001, 'AUTH_SERVICE_PORT', 'authServiceDefinition', authOwnEnvironment),
  service('payment-service', 3003, 'PAYMENT_SERVICE_PORT', 'paymentServiceDefinition', authEnvironment),
  service('session-service', 3002, 'SESSION_SERVICE_PORT', 'sessionServiceDefinition', (urls) => ({ SESSION_PUBLIC_URL: urls['session-service'] })),
  service('hcx-gateway', 3004, 'HCX_GATEWAY_PORT', 'hcxServiceDefinition', (urls) => ({ HCX_PUBLIC_URL: urls['hcx-gateway'] })),
];
