export { AuthDataAccessModule } from './auth-data-access.module';
export { PrismaAuthRepository } from './prisma-auth.repository';
export { AUTH_REPOSITORY } from './types';
export type {
  AccessTokenRecord,
  AuthRepository,
  ClientAuthMethod,
  ClientChanges,
  ClientRecord,
  ClientStatus,
  NewAccessToken,
  NewClient,
  NewRefreshToken,
  RefreshGrantConditions,
  RefreshTokenPolicy,
  NewUser,
  PendingEvent,
  RefreshTokenRecord,
  Revoked,
  UserChanges,
  UserRecord,
  UserStatus,
} from './types';
