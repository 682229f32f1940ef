import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import type { PaymentServiceConfig } from '../config';
import { SettlementModule } from '../settlement/settlement.module';
import { FUND_TRANSFER_APP_ID } from '../tokens';
import { DetailsController, NpiCertificateController } from './details.controller';
import { DetailsService } from './details.service';
import { DirectoryAdminController, DirectoryController } from './directory.controller';
import { DirectoryService } from './directory.service';

/**
 * The NPI registry members read: the directory (banks, branches, charge slabs, auto-release
 * limits; its admin API and change events), the member details APIs and NPI's certificate.
 */
@Module({
  imports: [SettlementModule],
  controllers: [DetailsController, DirectoryController, NpiCertificateController, DirectoryAdminController],
  providers: [
    { provide: FUND_TRANSFER_APP_ID, useFactory: (config: PaymentServiceConfig) => config.PAYMENT_FUND_TRANSFER_APP_ID, inject: [SERVICE_CONFIG] },
    DirectoryService,
    DetailsService,
  ],
  exports: [DirectoryService],
})
export class NpiRegistryModule {}
