import { interpretSetting } from '@npi/config';
import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { AuthGuardsModule, OperatorAuthModule } from '@npi/auth-guards';
import { PaymentDataAccessModule } from '@npi/payment/data-access';
import type { ServiceDependencies } from '@npi/service-runtime';
import { MemberAdminModule } from './admin/member-admin.module';
import { BatchesModule } from './batches/batches.module';
import { BillersModule } from './billers/billers.module';
import type { PaymentServiceConfig } from './config';
import { NpiModule } from './npi/npi.module';
import { NpiResponseSigner } from './npi/signing';
import { NpiRegistryModule } from './registry/npi-registry.module';
import { ReportingModule } from './reporting/reporting.module';
import { AutoCreditSettlementModule, SettlementModule } from './settlement/settlement.module';

/**
 * Wiring only: one module per capability. Platform providers (config, clock, logger, Prisma,
 * broker) are global (libs/service-runtime); so are the repositories of `@npi/payment/data-access`
 * (bound once here, with the write concurrency of the config) and `NpiModule` (NCHL's signer,
 * verifier, interceptor and error filter). No two routes overlap, so the order of the modules does
 * not matter.
 */
@Module({})
export class PaymentServiceModule {
  static register(deps: ServiceDependencies<PaymentServiceConfig>): DynamicModule {
    const { config } = deps;
    // Loaded once at startup: a wrong passphrase or a broken PFX stops the service here.
    const signer = interpretSetting('NPI_SIGNING_PFX_PASSPHRASE', 'cannot open NPI_SIGNING_PFX_BASE64 with it (wrong passphrase or not a PKCS#12 file)', () =>
      NpiResponseSigner.fromPfx(config.NPI_SIGNING_PFX_BASE64, config.NPI_SIGNING_PFX_PASSPHRASE),
    );
    return {
      module: PaymentServiceModule,
      imports: [
        AuthGuardsModule.forRoot({
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          jwksUrl: config.AUTH_JWKS_URL,
          trustedProxies: config.TRUSTED_PROXIES,
        }),
        OperatorAuthModule.forRoot({ token: config.PAYMENT_ADMIN_TOKEN }),
        { ...PaymentDataAccessModule.register({ maxConcurrentWrites: config.PAYMENT_WRITE_CONCURRENCY }), global: true },
        NpiModule.forRoot(signer),
        BatchesModule,
        BillersModule,
        ReportingModule,
        NpiRegistryModule,
        MemberAdminModule,
        SettlementModule,
        ...(config.SETTLEMENT_AUTO_CREDIT ? [AutoCreditSettlementModule] : []),
      ],
    };
  }
}
