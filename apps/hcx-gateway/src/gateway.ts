import { PrismaApiCallRepository, PrismaParticipantRepository, PrismaSecretDeliveryRepository, PrismaSigningKeyRepository } from '@npi/hcx/data-access';
import type { ServiceDependencies } from '@npi/service-runtime';
import { ApiKeyVerifier, ExternalApiKeyIssuer, Hs256ApiKeyIssuer } from './api-keys/api-key-verifier';
import { FixedWindowRateLimiter } from './api-keys/rate-limiter';
import { TokenService } from './api-keys/token.service';
import type { HcxGatewayConfig } from './config';
import { KeyEncryption } from './crypto/key-encryption';
import { Dispatcher } from './dispatcher/dispatcher';
import { HcxSigningKeys } from './dispatcher/hcx-signing-keys';
import { ProtocolService } from './protocol/protocol.service';
import { ParticipantCache } from './registry/participant-cache';
import { RegistryApiService } from './registry/registry-api.service';
import { RegistryService } from './registry/registry.service';
import { SecretDeliveryWorker } from './secret-delivery/secret-delivery.worker';
import { AllChannelsSecretNotifier, FileDropSecretNotifier } from './secret-delivery/secret-notifier';
import type { SecretNotifier } from './secret-delivery/secret-notifier';
import { SmsWebhookSecretNotifier } from './secret-delivery/sms-webhook-secret-notifier';
import { SmtpSecretNotifier } from './secret-delivery/smtp-secret-notifier';

const PRODUCER = 'hcx-gateway';

/** Composition root: adapters bound to ports, built once per running instance. */
export function createGateway(deps: ServiceDependencies<HcxGatewayConfig>, overrides: { notifier?: SecretNotifier } = {}) {
  const { config, prisma, clock, logger, outbox, metrics } = deps;
  const stage = metrics?.stageDuration;
  const keys = new KeyEncryption(config.HCX_KEKS, config.HCX_ACTIVE_KEK_ID);
  const participants = new PrismaParticipantRepository(prisma);
  const apiCalls = new PrismaApiCallRepository(prisma);
  const signingKeyRepository = new PrismaSigningKeyRepository(prisma);
  const cache = new ParticipantCache(participants, keys, clock, config.HCX_PARTICIPANT_CACHE_TTL_MS);
  const secretDeliveries = new PrismaSecretDeliveryRepository(prisma);
  const notifier = overrides.notifier ?? secretNotifierOf(config);
  // Without a notifier the delivery rows wait (nothing is lost) until one is configured.
  const secretDelivery = notifier
    ? new SecretDeliveryWorker(secretDeliveries, participants, keys, notifier, clock, logger, {
        pollMs: config.HCX_SECRET_DELIVERY_POLL_MS,
        backoffMs: config.HCX_SECRET_DELIVERY_BACKOFF_MS,
        maxBackoffMs: config.HCX_SECRET_DELIVERY_MAX_BACKOFF_MS,
        leaseMs: 60_000,
      })
    : undefined;
  const issuers = [
    new Hs256ApiKeyIssuer(config.HCX_INSTANCE_ID, cache, { clockSkewSeconds: config.HCX_CLOCK_SKEW_SECONDS, maxLifetimeSeconds: config.HCX_API_KEY_TTL_SECONDS }),
    ...config.HCX_EXTERNAL_ISSUERS.map(
      (issuer) =>
        new ExternalApiKeyIssuer(issuer.issuer, cache, {
          jwksUrl: issuer.jwksUrl,
          algorithms: issuer.algorithms,
          participantClaim: issuer.participantClaim,
          audience: issuer.audience,
          clockSkewSeconds: config.HCX_CLOCK_SKEW_SECONDS,
        }),
    ),
  ];
  const verifier = new ApiKeyVerifier(issuers, clock, metrics ? (work) => metrics.timeStage('verify', 'hcx.api_key', work) : undefined);
  const tokens = new TokenService(participants, keys, clock, new FixedWindowRateLimiter(clock, config.HCX_TOKEN_RATE_WINDOW_SECONDS * 1000), {
    instanceId: config.HCX_INSTANCE_ID,
    lifetimeSeconds: config.HCX_API_KEY_TTL_SECONDS,
    perClientLimit: config.HCX_TOKEN_RATE_LIMIT_PER_CLIENT,
    perIpLimit: config.HCX_TOKEN_RATE_LIMIT_PER_IP,
  });
  const registry = new RegistryService(participants, keys, cache, () => secretDelivery?.nudge(), outbox, clock, secretDeliveries, {
    producer: PRODUCER,
    requireHttpsEndpoints: config.NODE_ENV === 'production',
  });
  const registryApi = new RegistryApiService(registry, clock, { instanceId: config.HCX_INSTANCE_ID });
  const protocol = new ProtocolService(cache, apiCalls, outbox, clock, logger, {
    producer: PRODUCER,
    maxAgeSeconds: config.HCX_TIMESTAMP_MAX_AGE_SECONDS,
    clockSkewSeconds: config.HCX_CLOCK_SKEW_SECONDS,
    timeDatabase: metrics ? (work) => metrics.timeStage('database', 'hcx.accept', work) : undefined,
  });
  const signingKeys = new HcxSigningKeys(signingKeyRepository, keys, clock, {
    instanceId: config.HCX_INSTANCE_ID,
    tokenLifetimeSeconds: config.HCX_DISPATCH_TOKEN_TTL_SECONDS,
    keyFile: config.HCX_SIGNING_KEY_FILE,
    keyId: config.HCX_SIGNING_KEY_ID,
  });
  const dispatcher = new Dispatcher(apiCalls, cache, signingKeys, clock, logger, {
    instanceId: config.HCX_INSTANCE_ID,
    timeoutMs: config.HCX_DISPATCH_TIMEOUT_MS,
    retries: config.HCX_DISPATCH_RETRIES,
    backoffMs: config.HCX_DISPATCH_BACKOFF_MS,
  }, undefined, (name, seconds, outcome) => stage?.observe({ stage: name, path: 'hcx.dispatch', outcome }, seconds));

  return {
    keys,
    repositories: { participants, apiCalls, signingKeys: signingKeyRepository, secretDeliveries },
    secretDelivery,
    cache,
    verifier,
    tokens,
    registry,
    registryApi,
    protocol,
    signingKeys,
    dispatcher,
    async start(): Promise<void> {
      await signingKeys.init();
      secretDelivery?.start();
    },
    async stop(): Promise<void> {
      await secretDelivery?.stop();
    },
  };
}

export type Gateway = ReturnType<typeof createGateway>;

function secretNotifierOf(config: HcxGatewayConfig): SecretNotifier | undefined {
  const channels: SecretNotifier[] = [];
  for (const channel of config.HCX_SECRET_NOTIFIER.split('+')) {
    if (channel === 'file') channels.push(new FileDropSecretNotifier(config.HCX_SECRET_DROP_DIR as string));
    if (channel === 'email') {
      channels.push(new SmtpSecretNotifier({ url: config.HCX_SMTP_URL as string, from: config.HCX_SMTP_FROM as string, requireTls: config.HCX_SMTP_REQUIRE_TLS ?? config.NODE_ENV === 'production' }));
    }
    if (channel === 'sms') channels.push(new SmsWebhookSecretNotifier({ url: config.HCX_SMS_WEBHOOK_URL as string, token: config.HCX_SMS_WEBHOOK_TOKEN as string }));
  }
  if (channels.length === 0) return undefined;
  return channels.length === 1 ? channels[0] : new AllChannelsSecretNotifier(channels);
}
