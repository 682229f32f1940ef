import { Body, Controller, Get, HttpCode, Param, Patch, Post, Req, Res, UseFilters, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiProperty, ApiPropertyOptional, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { BearerTokenGuard, CurrentPrincipal, RequireScopes, SourceIpGuard, clientIpOf } from '@npi/auth-guards';
import type { AccessTokenPrincipal } from '@npi/auth-guards';
import { correlationIdOfRequest } from '@npi/service-runtime';
import { AdminErrorsFilter } from '../oauth-errors.filter';
import type { RequestFacts } from '../oauth/audit';
import { AdminService } from './admin.service';
import type { ClientView, UserView } from './admin.service';

class CreateClientDto {
  @ApiProperty({ example: 'demo-bank' }) clientId!: string;
  @ApiProperty({ example: ['10.20.0.0/16', '2001:db8::/48'] }) allowedCidrs!: string[];
  @ApiPropertyOptional({ example: ['read', 'write', 'trust'] }) scopes?: string[];
  @ApiPropertyOptional({ example: ['password', 'refresh_token'] }) grantTypes?: string[];
  @ApiPropertyOptional({ enum: ['client_secret_basic', 'client_secret_post'] }) authMethod?: string;
  @ApiPropertyOptional() memberCode?: string;
  @ApiPropertyOptional({ example: 300 }) accessTokenTtlSeconds?: number;
  @ApiPropertyOptional({ example: 43200 }) refreshTokenTtlSeconds?: number;
  @ApiPropertyOptional({ enum: ['reusable', 'rotating'], default: 'reusable', description: 'reusable: the refresh token serves until it expires (NCHL guide); rotating: single use with reuse detection' })
  refreshTokenPolicy?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 60, default: 0, description: 'rotating only: seconds in which a retry of a just-rotated refresh token gets the same successor' })
  refreshGraceSeconds?: number;
}

class UpdateClientDto {
  @ApiPropertyOptional() allowedCidrs?: string[];
  @ApiPropertyOptional({ enum: ['ACTIVE', 'DISABLED'] }) status?: string;
  @ApiPropertyOptional() scopes?: string[];
  @ApiPropertyOptional() grantTypes?: string[];
  @ApiPropertyOptional() authMethod?: string;
  @ApiPropertyOptional({ nullable: true }) memberCode?: string | null;
  @ApiPropertyOptional({ nullable: true }) accessTokenTtlSeconds?: number | null;
  @ApiPropertyOptional({ nullable: true }) refreshTokenTtlSeconds?: number | null;
  @ApiPropertyOptional({ enum: ['reusable', 'rotating'] }) refreshTokenPolicy?: string;
  @ApiPropertyOptional({ minimum: 0, maximum: 60 }) refreshGraceSeconds?: number;
}

class CreateUserDto {
  @ApiProperty({ example: 'demo.user' }) username!: string;
  @ApiPropertyOptional({ description: 'generated (and shown once) when absent' }) password?: string;
}

class UpdateUserDto {
  @ApiProperty({ enum: ['ACTIVE', 'DISABLED'] }) status!: string;
}

class ResetPasswordDto {
  @ApiPropertyOptional({ description: 'generated (and shown once) when absent' }) password?: string;
}

/** Admin API: an access token with scope `admin`, from an allowed source address. */
@ApiTags('admin')
@ApiBearerAuth()
@Controller('admin')
@UseFilters(AdminErrorsFilter)
@UseGuards(BearerTokenGuard, SourceIpGuard)
@RequireScopes('admin')
export class AdminController {
  constructor(private readonly admin: AdminService) {}

  private facts(request: Request): RequestFacts {
    return { sourceIp: clientIpOf(request), correlationId: correlationIdOfRequest(request) };
  }

  @Get('clients')
  @ApiOperation({ summary: 'List clients' })
  listClients(): Promise<ClientView[]> {
    return this.admin.listClients();
  }

  @Post('clients')
  @ApiOperation({ summary: 'Create a client; the secret is in this response only' })
  @ApiBody({ type: CreateClientDto })
  @ApiResponse({ status: 201 })
  createClient(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Body() body: unknown, @CurrentPrincipal() principal: AccessTokenPrincipal) {
    response.setHeader('Cache-Control', 'no-store');
    return this.admin.createClient(body, this.facts(request), principal.subject);
  }

  @Get('clients/:clientId')
  @ApiOperation({ summary: 'One client' })
  getClient(@Param('clientId') clientId: string): Promise<ClientView> {
    return this.admin.getClient(clientId);
  }

  @Patch('clients/:clientId')
  @ApiOperation({ summary: 'Change CIDRs, status, scopes, grant types, token lifetimes' })
  @ApiBody({ type: UpdateClientDto })
  updateClient(@Req() request: Request, @Param('clientId') clientId: string, @Body() body: unknown, @CurrentPrincipal() principal: AccessTokenPrincipal): Promise<ClientView> {
    return this.admin.updateClient(clientId, body, this.facts(request), principal.subject);
  }

  @Post('clients/:clientId/secret')
  @HttpCode(200)
  @ApiOperation({ summary: 'Rotate the client secret; the new secret is in this response only' })
  rotateSecret(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Param('clientId') clientId: string, @CurrentPrincipal() principal: AccessTokenPrincipal) {
    response.setHeader('Cache-Control', 'no-store');
    return this.admin.rotateSecret(clientId, this.facts(request), principal.subject);
  }

  @Get('clients/:clientId/users')
  @ApiOperation({ summary: "List a client's users" })
  listUsers(@Param('clientId') clientId: string): Promise<UserView[]> {
    return this.admin.listUsers(clientId);
  }

  @Post('clients/:clientId/users')
  @ApiOperation({ summary: 'Create a user; a generated password is in this response only' })
  @ApiBody({ type: CreateUserDto })
  createUser(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Param('clientId') clientId: string, @Body() body: unknown, @CurrentPrincipal() principal: AccessTokenPrincipal) {
    response.setHeader('Cache-Control', 'no-store');
    return this.admin.createUser(clientId, body, this.facts(request), principal.subject);
  }

  @Patch('clients/:clientId/users/:username')
  @ApiOperation({ summary: 'Disable or enable a user (disabling revokes its tokens)' })
  @ApiBody({ type: UpdateUserDto })
  updateUser(@Req() request: Request, @Param('clientId') clientId: string, @Param('username') username: string, @Body() body: unknown, @CurrentPrincipal() principal: AccessTokenPrincipal) {
    return this.admin.updateUser(clientId, username, body, this.facts(request), principal.subject);
  }

  @Post('clients/:clientId/users/:username/password')
  @HttpCode(200)
  @ApiOperation({ summary: 'Reset a password (unlocks, revokes tokens); a generated password is in this response only' })
  @ApiBody({ type: ResetPasswordDto })
  resetPassword(@Req() request: Request, @Res({ passthrough: true }) response: Response, @Param('clientId') clientId: string, @Param('username') username: string, @Body() body: unknown, @CurrentPrincipal() principal: AccessTokenPrincipal) {
    response.setHeader('Cache-Control', 'no-store');
    return this.admin.resetPassword(clientId, username, body, this.facts(request), principal.subject);
  }
}
