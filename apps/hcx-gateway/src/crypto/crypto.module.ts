import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import type { HcxGatewayConfig } from '../config';
import { KEY_ENCRYPTION } from '../tokens';
import { KeyEncryption } from './key-encryption';

/** The key-encryption keys (HCX_KEKS) that protect client secrets and signing keys at rest. */
@Module({
  // A factory: the keys are decoded and checked from the config once, at startup.
  providers: [{ provide: KEY_ENCRYPTION, useFactory: (config: HcxGatewayConfig) => new KeyEncryption(config.HCX_KEKS, config.HCX_ACTIVE_KEK_ID), inject: [SERVICE_CONFIG] }],
  exports: [KEY_ENCRYPTION],
})
export class CryptoModule {}
