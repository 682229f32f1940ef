import { Module } from '@nestjs/common';
import { SessionDataAccessModule } from '@npi/session/data-access';
import { BillersKeysModule } from '../envelope/billers-keys.module';
import { BillersRegistryModule } from '../registry/billers-registry.module';
import { PageApiErrorsFilter } from './page-api-errors.filter';
import { PageApiController } from './page-api.controller';
import { PageApiService } from './page-api.service';

/** The page's calls back (`/billers/api/*`): the session's state and the sealed npiObject with its outbox event. */
@Module({
  imports: [SessionDataAccessModule, BillersRegistryModule, BillersKeysModule],
  controllers: [PageApiController],
  providers: [PageApiService, PageApiErrorsFilter],
})
export class BillerPageModule {}
