import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OnApplicationBootstrap } from '@nestjs/common';
import { OAUTH_CLIENT_REPOSITORY, USER_REPOSITORY } from '@npi/auth/data-access';
import type { OAuthClientRepository, UserRepository } from '@npi/auth/data-access';
import { parseCidr } from '@npi/auth-guards';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import type { AuthServiceConfig } from '../config';
import type { PasswordHasher } from '../crypto/password-hasher';
import { PASSWORD_HASHER } from '../tokens';
import { clientUpdatedEvent } from './auth-admin.service';

/**
 * The first admin comes from configuration (AUTH_ADMIN_*): a client with scope `admin` and one
 * user. Created once if absent; an existing admin client is left alone (rotate it via the API).
 */
@Injectable()
export class AuthAdminBootstrap implements OnApplicationBootstrap {
  constructor(
    @Inject(OAUTH_CLIENT_REPOSITORY) private readonly clients: OAuthClientRepository,
    @Inject(USER_REPOSITORY) private readonly users: UserRepository,
    @Inject(PASSWORD_HASHER) private readonly hasher: PasswordHasher,
    @Inject(SERVICE_CONFIG) private readonly config: AuthServiceConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    let client = await this.clients.findClient(this.config.AUTH_ADMIN_CLIENT_ID);
    if (!client) {
      try {
        client = await this.clients.createClient(
          {
            id: randomUUID(),
            clientId: this.config.AUTH_ADMIN_CLIENT_ID,
            secretHash: await this.hasher.hash(this.config.AUTH_ADMIN_CLIENT_SECRET),
            authMethod: 'client_secret_basic',
            status: 'ACTIVE',
            memberCode: null,
            allowedCidrs: this.config.AUTH_ADMIN_CIDRS.map((cidr) => parseCidr(cidr).text),
            scopes: ['admin'],
            grantTypes: ['password', 'refresh_token'],
            accessTokenTtlSeconds: null,
            refreshTokenTtlSeconds: null,
            // Not an NPI member integration: an operator's refresh token is single-use.
            refreshTokenPolicy: 'rotating',
            refreshGraceSeconds: 0,
          },
          (row) => [clientUpdatedEvent(row)],
        );
      } catch (error) {
        // Another replica created it at the same moment.
        client = await this.clients.findClient(this.config.AUTH_ADMIN_CLIENT_ID);
        if (!client) throw error;
      }
    }
    if (!(await this.users.findUser(client.id, this.config.AUTH_ADMIN_USERNAME))) {
      try {
        await this.users.createUser(
          { id: randomUUID(), clientRowId: client.id, username: this.config.AUTH_ADMIN_USERNAME, passwordHash: await this.hasher.hash(this.config.AUTH_ADMIN_PASSWORD), status: 'ACTIVE' },
          [],
        );
      } catch (error) {
        if (!(await this.users.findUser(client.id, this.config.AUTH_ADMIN_USERNAME))) throw error;
      }
    }
  }
}
