import { Module } from '@nestjs/common';
import { SessionDataAccessModule } from '@npi/session/data-access';
import { BillersKeysModule } from '../envelope/billers-keys.module';
import { BillersRegistryModule } from '../registry/billers-registry.module';
import { BillersErrorsFilter } from './billers-errors.filter';
import { LaunchController } from './launch.controller';
import { LaunchService } from './launch.service';

/** `GET /billers`: NCHL's launch (checks, launch token, the session's first load) and the page's assets. */
@Module({
  imports: [SessionDataAccessModule, BillersRegistryModule, BillersKeysModule],
  controllers: [LaunchController],
  providers: [LaunchService, BillersErrorsFilter],
})
export class LaunchModule {}
