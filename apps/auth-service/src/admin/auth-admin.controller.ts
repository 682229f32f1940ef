import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, Res, UseFilters } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ApiErrorBody, ApiJsonResponse, ApiNoBody, PlatformErrorDto, ZodBodyPipe, describeIssues } from '@npi/api-contracts';
import { CurrentPrincipal, NpiMember, clientIpOf } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { correlationIdOfRequest } from '@npi/service-runtime';
import { AdminError } from '../errors';
import { AdminErrorsFilter } from '../oauth-errors.filter';
import type { RequestFacts } from '../oauth/audit';
import {
  CLIENT_EXAMPLE,
  ClientSecretDto,
  ClientViewDto,
  CreateClientDto,
  CreateMemberUserDto,
  CreatedClientDto,
  CreatedMemberUserDto,
  MEMBER_USER_EXAMPLE,
  MemberUserViewDto,
  NewPasswordDto,
  ResetPasswordDto,
  SHOWN_ONCE,
  UpdateClientDto,
  UpdateMemberUserDto,
} from './auth-admin.contracts';
import { AuthAdminService } from './auth-admin.service';
import type { ClientView, UserView } from './auth-admin.service';

/** Admin bodies that break their shape: `ERR_VALIDATION` 400, naming each failed field. */
const adminBody = new ZodBodyPipe((issues) => new AdminError('ERR_VALIDATION', describeIssues(issues)));

/** Admin API: an access token with scope `admin`, from an allowed source address. */
@ApiTags('admin')
@ApiBearerAuth()
@ApiErrorBody(PlatformErrorDto, { 401: 'ERR_TOKEN_MISSING, ERR_TOKEN_INVALID: admin access token missing or invalid', 403: 'ERR_INSUFFICIENT_SCOPE, ERR_SOURCE_IP_NOT_ALLOWED' })
@Controller('admin')
@UseFilters(AdminErrorsFilter)
@NpiMember('admin')
export class AuthAdminController {
  constructor(private readonly admin: AuthAdminService) {}

  private facts(request: Request): RequestFacts {
    return { sourceIp: clientIpOf(request), correlationId: correlationIdOfRequest(request) };
  }

  @Get('clients')
  @ApiOperation({ summary: 'List clients' })
  @ApiJsonResponse(200, [ClientViewDto], [CLIENT_EXAMPLE])
  listClients(): Promise<ClientView[]> {
    return this.admin.listClients();
  }

  @Post('clients')
  @ApiOperation({ summary: 'Create a client; the secret is in this response only' })
  @ApiJsonResponse(201, CreatedClientDto, { ...CLIENT_EXAMPLE, clientSecret: SHOWN_ONCE })
  @ApiResponse({ status: 400, description: 'ERR_VALIDATION' })
  @ApiResponse({ status: 409, description: 'ERR_CLIENT_EXISTS' })
  createClient(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body(adminBody) body: CreateClientDto, @CurrentPrincipal() principal: AccessTokenPrincipal) {
    response.setHeader('Cache-Control', 'no-store');
    return this.admin.createClient(body, this.facts(request), principal.subject);
  }

  @Get('clients/:clientId')
  @ApiOperation({ summary: 'One client' })
  @ApiJsonResponse(200, ClientViewDto, CLIENT_EXAMPLE)
  @ApiResponse({ status: 404, description: 'ERR_CLIENT_NOT_FOUND' })
  getClient(@Param('clientId') clientId: string): Promise<ClientView> {
    return this.admin.getClient(clientId);
  }

  @Patch('clients/:clientId')
  @ApiOperation({ summary: 'Change CIDRs, status, scopes, grant types, token lifetimes' })
  @ApiJsonResponse(200, ClientViewDto, CLIENT_EXAMPLE)
  @ApiResponse({ status: 400, description: 'ERR_VALIDATION' })
  @ApiResponse({ status: 404, description: 'ERR_CLIENT_NOT_FOUND' })
  updateClient(@Req() request: Request, @Param('clientId') clientId: string, @Body(adminBody) body: UpdateClientDto, @CurrentPrincipal() principal: AccessTokenPrincipal): Promise<ClientView> {
    return this.admin.updateClient(clientId, body, this.facts(request), principal.subject);
  }

  @Post('clients/:clientId/secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the client secret; the new secret is in this response only' })
  @ApiNoBody()
  @ApiJsonResponse(200, ClientSecretDto, { clientId: 'demo-bank', clientSecret: SHOWN_ONCE })
  @ApiResponse({ status: 404, description: 'ERR_CLIENT_NOT_FOUND' })
  rotateSecret(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Param('clientId') clientId: string, @CurrentPrincipal() principal: AccessTokenPrincipal) {
    response.setHeader('Cache-Control', 'no-store');
    return this.admin.rotateSecret(clientId, this.facts(request), principal.subject);
  }

  @Get('clients/:clientId/users')
  @ApiOperation({ summary: "List a client's users" })
  @ApiJsonResponse(200, [MemberUserViewDto], [MEMBER_USER_EXAMPLE])
  @ApiResponse({ status: 404, description: 'ERR_CLIENT_NOT_FOUND' })
  listUsers(@Param('clientId') clientId: string): Promise<UserView[]> {
    return this.admin.listUsers(clientId);
  }

  @Post('clients/:clientId/users')
  @ApiOperation({ summary: 'Create a user; a generated password is in this response only' })
  @ApiJsonResponse(201, CreatedMemberUserDto, { ...MEMBER_USER_EXAMPLE, password: SHOWN_ONCE })
  @ApiResponse({ status: 400, description: 'ERR_VALIDATION' })
  @ApiResponse({ status: 404, description: 'ERR_CLIENT_NOT_FOUND' })
  @ApiResponse({ status: 409, description: 'ERR_USER_EXISTS' })
  createUser(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Param('clientId') clientId: string, @Body(adminBody) body: CreateMemberUserDto, @CurrentPrincipal() principal: AccessTokenPrincipal) {
    response.setHeader('Cache-Control', 'no-store');
    return this.admin.createUser(clientId, body, this.facts(request), principal.subject);
  }

  @Patch('clients/:clientId/users/:username')
  @ApiOperation({ summary: 'Disable or enable a user (disabling revokes its tokens)' })
  @ApiJsonResponse(200, MemberUserViewDto, { ...MEMBER_USER_EXAMPLE, status: 'DISABLED' })
  @ApiResponse({ status: 400, description: 'ERR_VALIDATION' })
  @ApiResponse({ status: 404, description: 'ERR_CLIENT_NOT_FOUND, ERR_USER_NOT_FOUND' })
  updateUser(@Req() request: Request, @Param('clientId') clientId: string, @Param('username') username: string, @Body(adminBody) body: UpdateMemberUserDto, @CurrentPrincipal() principal: AccessTokenPrincipal) {
    return this.admin.updateUser(clientId, username, body, this.facts(request), principal.subject);
  }

  @Post('clients/:clientId/users/:username/password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reset a password (unlocks, revokes tokens); a generated password is in this response only' })
  @ApiJsonResponse(200, NewPasswordDto, { username: 'demo.user', password: SHOWN_ONCE })
  @ApiResponse({ status: 400, description: 'ERR_VALIDATION' })
  @ApiResponse({ status: 404, description: 'ERR_CLIENT_NOT_FOUND, ERR_USER_NOT_FOUND' })
  resetPassword(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Param('clientId') clientId: string, @Param('username') username: string, @Body(adminBody) body: ResetPasswordDto, @CurrentPrincipal() principal: AccessTokenPrincipal) {
    response.setHeader('Cache-Control', 'no-store');
    return this.admin.resetPassword(clientId, username, body, this.facts(request), principal.subject);
  }
}
