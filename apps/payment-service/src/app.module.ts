import { interpretSetting } from '@npi/config';
import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { AuthGuardsModule, OperatorAuthModule } from '@npi/auth-guards';
import { PaymentDataAccessModule } from '@npi/payment/data-access';
import { CLOCK } from '@npi/service-runtime';
import type { Clock, ServiceDependencies } from '@npi/service-runtime';
import { AdminController } from './admin/admin.controller';
import { AdminService } from './admin/admin.service';
import { BatchesController } from './batches/batches.controller';
import { BillPreparedHandler } from './billers/bill-prepared.handler';
import { BillersController } from './billers/billers.controller';
import { BillersService } from './billers/billers.service';
import { ReportingController } from './reporting/reporting.controller';
import { ReportingService } from './reporting/reporting.service';
import { AutoCreditSettlementHandler } from './settlement/auto-credit-settlement.handler';
import { SettlementService } from './settlement/settlement.service';
import { DetailsController, NpiCertificateController } from './registry/details.controller';
import { DetailsService } from './registry/details.service';
import { DirectoryAdminController, DirectoryController } from './registry/directory.controller';
import { DirectoryService, FUND_TRANSFER_APP_ID } from './registry/directory.service';
import { SignedAnswerInterceptor } from './npi/signed-answer.interceptor';
import { BatchesService, SETTLEMENT_CALENDAR } from './batches/batches.service';
import type { PaymentServiceConfig } from './config';
import { NpiErrorsFilter } from './npi/npi-errors.filter';
import { MEMBER_TOKEN_VERIFIER, NPI_SIGNER, NpiResponseSigner, memberTokenVerifier } from './npi/signing';

/** Wiring only: feature modules of payment-service. Platform providers (config, clock, Prisma, broker) are global. */
@Module({})
export class AppModule {
  static register(deps: ServiceDependencies<PaymentServiceConfig>): DynamicModule {
    const { config } = deps;
    // Loaded once at startup: a wrong passphrase or a broken PFX stops the service here.
    const signer = interpretSetting('NPI_SIGNING_PFX_PASSPHRASE', 'cannot open NPI_SIGNING_PFX_BASE64 with it (wrong passphrase or not a PKCS#12 file)', () =>
      NpiResponseSigner.fromPfx(config.NPI_SIGNING_PFX_BASE64, config.NPI_SIGNING_PFX_PASSPHRASE),
    );
    return {
      module: AppModule,
      imports: [
        AuthGuardsModule.forRoot({
          issuer: config.AUTH_ISSUER,
          audience: config.AUTH_AUDIENCE,
          jwksUrl: config.AUTH_JWKS_URL,
          trustedProxies: config.TRUSTED_PROXIES,
        }),
        OperatorAuthModule.forRoot({ token: config.PAYMENT_ADMIN_TOKEN }),
        PaymentDataAccessModule.register({ maxConcurrentWrites: config.PAYMENT_WRITE_CONCURRENCY }),
      ],
      controllers: [
        BatchesController,
        BillersController,
        ReportingController,
        DetailsController,
        DirectoryController,
        NpiCertificateController,
        AdminController,
        DirectoryAdminController,
        BillPreparedHandler,
        ...(config.SETTLEMENT_AUTO_CREDIT ? [AutoCreditSettlementHandler] : []),
      ],
      providers: [
        { provide: NPI_SIGNER, useValue: signer },
        { provide: MEMBER_TOKEN_VERIFIER, useFactory: (clock: Clock) => memberTokenVerifier(clock), inject: [CLOCK] },
        { provide: SETTLEMENT_CALENDAR, useValue: { timeZone: config.SETTLEMENT_TIMEZONE, cutoffs: config.SETTLEMENT_SESSION_CUTOFFS } },
        { provide: FUND_TRANSFER_APP_ID, useValue: config.PAYMENT_FUND_TRANSFER_APP_ID },
        DirectoryService,
        SignedAnswerInterceptor,
        NpiErrorsFilter,
        // Also global: malformed JSON on /api/* fails in the body parser, before any controller.
        { provide: APP_FILTER, useExisting: NpiErrorsFilter },
        BatchesService,
        DetailsService,
        AdminService,
        BillersService,
        ReportingService,
        SettlementService,
      ],
    };
  }
}
