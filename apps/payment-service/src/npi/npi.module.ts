import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CLOCK } from '@npi/service-runtime';
import type { Clock } from '@npi/service-runtime';
import { MEMBER_TOKEN_VERIFIER, NPI_SIGNER } from '../tokens';
import { NpiErrorsFilter } from './npi-errors.filter';
import { SignedAnswerInterceptor } from './signed-answer.interceptor';
import { NpiResponseSigner, memberTokenVerifier } from './signing';

/**
 * NCHL's protocol pieces every NPI API uses: NPI's signer (answer signatures, refusal tokens), the
 * verifier of members' token strings, the signed-answer interceptor and the error filter. Global:
 * `@UseInterceptors(SignedAnswerInterceptor)` and `@NpiMemberApi()` build them in each capability's
 * module. The signer is loaded by the root module (a broken PFX stops startup naming its setting).
 */
@Module({})
export class NpiModule {
  static forRoot(signer: NpiResponseSigner): DynamicModule {
    return {
      module: NpiModule,
      global: true,
      providers: [
        { provide: NPI_SIGNER, useValue: signer },
        { provide: MEMBER_TOKEN_VERIFIER, useFactory: (clock: Clock) => memberTokenVerifier(clock), inject: [CLOCK] },
        SignedAnswerInterceptor,
        NpiErrorsFilter,
        // Also global: malformed JSON on /api/* fails in the body parser, before any controller.
        { provide: APP_FILTER, useExisting: NpiErrorsFilter },
      ],
      exports: [NPI_SIGNER, MEMBER_TOKEN_VERIFIER, SignedAnswerInterceptor, NpiErrorsFilter],
    };
  }
}
