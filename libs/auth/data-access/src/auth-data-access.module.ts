import { Module } from '@nestjs/common';
import { AUTH_EVENT_OUTBOX, ISSUED_TOKEN_REPOSITORY, OAUTH_CLIENT_REPOSITORY, USER_REPOSITORY } from './ports';
import { PrismaAuthEventOutbox } from './prisma-auth-event-outbox.repository';
import { PrismaIssuedTokenRepository } from './prisma-issued-token.repository';
import { PrismaOAuthClientRepository } from './prisma-oauth-client.repository';
import { PrismaUserRepository } from './prisma-user.repository';

/** Binds auth-service's storage ports to Prisma (PRISMA_CLIENT and OUTBOX_RELAY come from the platform). */
@Module({
  providers: [
    { provide: OAUTH_CLIENT_REPOSITORY, useClass: PrismaOAuthClientRepository },
    { provide: USER_REPOSITORY, useClass: PrismaUserRepository },
    { provide: ISSUED_TOKEN_REPOSITORY, useClass: PrismaIssuedTokenRepository },
    { provide: AUTH_EVENT_OUTBOX, useClass: PrismaAuthEventOutbox },
  ],
  exports: [OAUTH_CLIENT_REPOSITORY, USER_REPOSITORY, ISSUED_TOKEN_REPOSITORY, AUTH_EVENT_OUTBOX],
})
export class AuthDataAccessModule {}
