import { Module } from '@nestjs/common';
import { AuthDataAccessModule } from '@npi/auth/data-access';
import { AdminErrorsFilter } from '../oauth-errors.filter';
import { AuthAdminBootstrap } from './auth-admin-bootstrap';
import { AuthAdminController } from './auth-admin.controller';
import { AuthAdminService } from './auth-admin.service';

/**
 * The admin API (clients, users, CIDRs, lifetimes) and the bootstrap admin from AUTH_ADMIN_*.
 * AuthAdminService is exported for the standalone demo seed and the test harnesses.
 */
@Module({
  imports: [AuthDataAccessModule],
  controllers: [AuthAdminController],
  providers: [AuthAdminService, AuthAdminBootstrap, AdminErrorsFilter],
  exports: [AuthAdminService],
})
export class AuthAdminModule {}
