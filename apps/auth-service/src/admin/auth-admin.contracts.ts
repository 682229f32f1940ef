import { z } from 'zod';
import { createZodDto } from '@npi/api-contracts';
import { isValidCidr } from '@npi/auth-guards';

/** Shapes of the admin API: each validates (ZodBodyPipe) and documents (OpenAPI) its body. */
const cidrs = z.array(z.string().refine(isValidCidr, 'not an IPv4/IPv6 CIDR')).max(256);
const scopeItem = z.string().regex(/^[\x21\x23-\x5B\x5D-\x7E]+$/, 'RFC 6749 scope token');
const ttl = z.number().int().min(30).max(2_592_000).nullable();
const refreshTokenPolicy = z.enum(['reusable', 'rotating']);
const refreshGraceSeconds = z.number().int().min(0).max(60);
const clientIdPattern = z.string().regex(/^[A-Za-z0-9._-]{3,64}$/, 'letters, digits, dot, dash, underscore (3-64)');
const usernamePattern = z.string().regex(/^[A-Za-z0-9._@-]{1,128}$/, 'letters, digits, . _ @ - (1-128)');

export const createClientBody = z
  .object({
    clientId: clientIdPattern,
    allowedCidrs: cidrs.min(1),
    scopes: z.array(scopeItem).max(32).optional(),
    grantTypes: z.array(z.enum(['password', 'refresh_token'])).min(1).optional(),
    authMethod: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
    memberCode: z.string().min(1).max(64).optional(),
    accessTokenTtlSeconds: ttl.optional(),
    refreshTokenTtlSeconds: ttl.optional(),
    refreshTokenPolicy: refreshTokenPolicy.optional(),
    refreshGraceSeconds: refreshGraceSeconds.optional(),
  })
  .strict();

export const updateClientBody = z
  .object({
    allowedCidrs: cidrs.min(1).optional(),
    scopes: z.array(scopeItem).max(32).optional(),
    grantTypes: z.array(z.enum(['password', 'refresh_token'])).min(1).optional(),
    authMethod: z.enum(['client_secret_basic', 'client_secret_post']).optional(),
    status: z.enum(['ACTIVE', 'DISABLED']).optional(),
    memberCode: z.string().min(1).max(64).nullable().optional(),
    accessTokenTtlSeconds: ttl.optional(),
    refreshTokenTtlSeconds: ttl.optional(),
    refreshTokenPolicy: refreshTokenPolicy.optional(),
    refreshGraceSeconds: refreshGraceSeconds.optional(),
  })
  .strict();

export const createUserBody = z.object({ username: usernamePattern, password: z.string().min(12).max(256).optional() }).strict();
export const updateUserBody = z.object({ status: z.enum(['ACTIVE', 'DISABLED']) }).strict();
export const resetPasswordBody = z.object({ password: z.string().min(12).max(256).optional().describe('generated (and shown once) when absent') }).strict();

export type CreateClientInput = z.output<typeof createClientBody>;
export type UpdateClientInput = z.output<typeof updateClientBody>;
export type CreateUserInput = z.output<typeof createUserBody>;
export type UpdateUserInput = z.output<typeof updateUserBody>;
export type ResetPasswordInput = z.output<typeof resetPasswordBody>;

export class CreateClientDto extends createZodDto(createClientBody) {}
export class UpdateClientDto extends createZodDto(updateClientBody) {}
export class CreateMemberUserDto extends createZodDto(createUserBody) {}
export class UpdateMemberUserDto extends createZodDto(updateUserBody) {}
export class ResetPasswordDto extends createZodDto(resetPasswordBody) {}

/** Answer shapes. */
export const clientView = z.object({
  clientId: z.string(),
  status: z.enum(['ACTIVE', 'DISABLED']),
  authMethod: z.enum(['client_secret_basic', 'client_secret_post']),
  memberCode: z.string().nullable(),
  allowedCidrs: z.array(z.string()),
  scopes: z.array(z.string()),
  grantTypes: z.array(z.string()),
  accessTokenTtlSeconds: z.number().int().nullable(),
  refreshTokenTtlSeconds: z.number().int().nullable(),
  refreshTokenPolicy: z.enum(['reusable', 'rotating']),
  refreshGraceSeconds: z.number().int(),
  revision: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export const memberUserView = z.object({ username: z.string(), status: z.enum(['ACTIVE', 'DISABLED']), failedAttempts: z.number().int(), lockedUntil: z.string().nullable() });

export class ClientViewDto extends createZodDto(clientView) {}
export class CreatedClientDto extends createZodDto(clientView.extend({ clientSecret: z.string().describe('shown in this answer only') })) {}
export class ClientSecretDto extends createZodDto(z.object({ clientId: z.string(), clientSecret: z.string().describe('shown in this answer only') })) {}
export class MemberUserViewDto extends createZodDto(memberUserView) {}
const generatedPassword = z.string().optional().describe('present only when generated here (shown in this answer only); a password the operator chose is never echoed');
export class CreatedMemberUserDto extends createZodDto(memberUserView.extend({ password: generatedPassword })) {}
export class NewPasswordDto extends createZodDto(z.object({ username: z.string(), password: generatedPassword })) {}

export const CLIENT_EXAMPLE = {
  clientId: 'demo-bank',
  status: 'ACTIVE',
  authMethod: 'client_secret_basic',
  memberCode: 'DEMO',
  allowedCidrs: ['10.20.0.0/16'],
  scopes: ['read', 'write', 'trust'],
  grantTypes: ['password', 'refresh_token'],
  accessTokenTtlSeconds: null,
  refreshTokenTtlSeconds: null,
  refreshTokenPolicy: 'reusable',
  refreshGraceSeconds: 0,
  revision: 1,
  createdAt: '2026-12-06T08:00:00.000Z',
  updatedAt: '2026-12-06T08:00:00.000Z',
};
export const MEMBER_USER_EXAMPLE = { username: 'demo.user', status: 'ACTIVE', failedAttempts: 0, lockedUntil: null };
export const SHOWN_ONCE = 'q3Jm1b0m3kQ2lV9k2Zp8N7xR4tY6uW1aE5sD0fG9hJc';
