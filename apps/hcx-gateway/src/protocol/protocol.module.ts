import { Module } from '@nestjs/common';
import { HcxDataAccessModule } from '@npi/hcx/data-access';
import { ApiKeysModule } from '../api-keys/api-keys.module';
import { ParticipantCacheModule } from '../registry/participant-cache.module';
import { ProtocolController } from './protocol.controller';
import { ProtocolService } from './protocol.service';

/**
 * The HCX protocol APIs (/v0.8/<entity>/<action>): acceptance rules in ProtocolService, the
 * accepted request and its hcx.request.routed.v1 event committed together. Its controller ends in
 * the catch-all `/v0.8/:entity/:action`, so the app module imports this module last (Nest registers
 * routes module by module).
 */
@Module({
  imports: [HcxDataAccessModule, ParticipantCacheModule, ApiKeysModule],
  controllers: [ProtocolController],
  providers: [ProtocolService],
})
export class ProtocolModule {}
