import { Module } from '@nestjs/common';
import type { DynamicModule } from '@nestjs/common';
import type { AuthServiceConfig } from '../config';
import { KEY_RING, PASSWORD_HASHER } from '../tokens';
import { PasswordHasher } from './password-hasher';
import type { KeyRing } from './signing-keys';

/**
 * The access-token signing keys (KEY_RING) and the argon2id PasswordHasher. Global and registered
 * once by the root module, which loads the keys itself: its guards verify admin tokens against the
 * same key set the OAuth module signs with, read from the files once.
 */
@Module({})
export class AuthCryptoModule {
  static forRoot(keys: KeyRing, config: Pick<AuthServiceConfig, 'AUTH_ARGON2_MEMORY_KIB' | 'AUTH_ARGON2_TIME_COST'>): DynamicModule {
    return {
      module: AuthCryptoModule,
      global: true,
      providers: [
        { provide: KEY_RING, useValue: keys },
        { provide: PASSWORD_HASHER, useValue: new PasswordHasher({ memoryCostKib: config.AUTH_ARGON2_MEMORY_KIB, timeCost: config.AUTH_ARGON2_TIME_COST }) },
      ],
      exports: [KEY_RING, PASSWORD_HASHER],
    };
  }
}
