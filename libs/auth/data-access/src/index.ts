export { AuthDataAccessModule } from './auth-data-access.module';
export { PrismaAuthRepository } from './prisma-auth.repository';
export { AUTH_REPOSITORY } from './types';
export type {
  AuthRepository,
  ClientAuthMethod,
  ClientChanges,
  ClientRecord,
  ClientStatus,
  NewClient,
  NewRefreshToken,
  NewUser,
  PendingEvent,
  RefreshTokenRecord,
  UserChanges,
  UserRecord,
  UserStatus,
} from './types';
