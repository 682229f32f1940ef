import { Module } from '@nestjs/common';
import { HcxDataAccessModule } from '@npi/hcx/data-access';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { AuditController } from './audit.controller';

/** /v0.8/audit/search: a participant's own protocol requests. */
@Module({
  imports: [HcxDataAccessModule, ApiKeysModule],
  controllers: [AuditController],
})
export class AuditModule {}
