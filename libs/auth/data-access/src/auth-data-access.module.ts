import { Module } from '@nestjs/common';
import { PrismaAuthRepository } from './prisma-auth.repository';
import { AUTH_REPOSITORY } from './types';

/** Binds the AuthRepository port to Prisma (PRISMA_CLIENT and OUTBOX_RELAY come from the platform). */
@Module({
  providers: [{ provide: AUTH_REPOSITORY, useClass: PrismaAuthRepository }],
  exports: [AUTH_REPOSITORY],
})
export class AuthDataAccessModule {}
