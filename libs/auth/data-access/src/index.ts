export { AuthDataAccessModule } from './auth-data-access.module';
export { AUTH_EVENT_OUTBOX, ISSUED_TOKEN_REPOSITORY, OAUTH_CLIENT_REPOSITORY, USER_REPOSITORY } from './ports';
export type { AuthEventOutbox, IssuedTokenRepository, OAuthClientRepository, UserRepository } from './ports';
export { PrismaAuthEventOutbox } from './prisma-auth-event-outbox.repository';
export { PrismaIssuedTokenRepository } from './prisma-issued-token.repository';
export { PrismaOAuthClientRepository } from './prisma-oauth-client.repository';
export { PrismaUserRepository } from './prisma-user.repository';
export type {
  AccessTokenRecord,
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
