import { Module } from '@nestjs/common';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import { loadBillersKeys } from '../billers-keys';
import type { BillersKeys } from '../billers-keys';
import type { SessionServiceConfig } from '../config';
import { BillersJwksController } from '../launch/billers-jwks.controller';
import { MAX_TOKEN_LENGTH } from '../launch/launch-params';
import { PageTokens } from '../page/page-token';
import { BILLERS_KEYS, LAUNCH_TOKEN_OPENER, NPI_OBJECT_SEALER, PAGE_TOKENS } from '../tokens';
import { JoseLaunchTokenOpener, JoseNpiObjectSealer, launchUnwrapOffload } from './envelope';

/**
 * NPI Billers' keys and what is built on them: the launch-token opener, the npiObject sealer, the
 * page tokens (keyed from SESSION_COOKIE_SECRET) and the public JWK Set. Keys are imported once at
 * start; an unusable key stops the service.
 */
@Module({
  controllers: [BillersJwksController],
  providers: [
    { provide: BILLERS_KEYS, inject: [SERVICE_CONFIG], useFactory: (config: SessionServiceConfig) => loadBillersKeys(config) },
    { provide: LAUNCH_TOKEN_OPENER, inject: [BILLERS_KEYS], useFactory: (keys: BillersKeys) => new JoseLaunchTokenOpener(keys, MAX_TOKEN_LENGTH, launchUnwrapOffload()) },
    { provide: NPI_OBJECT_SEALER, inject: [BILLERS_KEYS], useFactory: (keys: BillersKeys) => new JoseNpiObjectSealer(keys) },
    { provide: PAGE_TOKENS, inject: [SERVICE_CONFIG], useFactory: (config: SessionServiceConfig) => new PageTokens(config.SESSION_COOKIE_SECRET) },
  ],
  exports: [BILLERS_KEYS, LAUNCH_TOKEN_OPENER, NPI_OBJECT_SEALER, PAGE_TOKENS],
})
export class BillersKeysModule {}
