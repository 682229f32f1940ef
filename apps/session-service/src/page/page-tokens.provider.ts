import type { Provider } from '@nestjs/common';
import { SERVICE_CONFIG } from '@npi/service-runtime';
import type { SessionServiceConfig } from '../config';
import { PageTokens } from './page-token';

export const PAGE_TOKENS = Symbol.for('npi.session.PageTokens');

export const pageTokensProvider: Provider = {
  provide: PAGE_TOKENS,
  inject: [SERVICE_CONFIG],
  useFactory: (config: SessionServiceConfig) => new PageTokens(config.SESSION_COOKIE_SECRET),
};
