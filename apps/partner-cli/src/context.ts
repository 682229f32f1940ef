/**
 * What every command starts from: the standalone demo credentials (`.data/demo/credentials.json`,
 * written by `npm start`) and the services' base URLs, each overridable by an option or an
 * environment variable, so the same commands work against any deployment.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CliError } from './errors';
import type { Output } from './output';

export interface GlobalOptions {
  credentials?: string;
  authUrl?: string;
  paymentUrl?: string;
  sessionUrl?: string;
  hcxUrl?: string;
  json?: boolean;
}

export interface DemoCredentials {
  services?: Record<string, string>;
  'auth-service'?: { clientId: string; clientSecret: string; username: string; password: string };
  'payment-service'?: {
    memberCode: string;
    userId: string;
    pfxFile: string;
    pfxPassphrase: string;
    certificateFile: string;
    debtorAgent: string;
    debtorBranch: string;
    debtorAccount: string;
  };
  'session-service'?: {
    participantCode: string;
    channels?: string[];
    allowedHostOrigin?: string;
    participantKeys: { signingKid: string; encryptionKid: string; signingKeyFile: string; encryptionKeyFile: string };
    billersKeys: { encryptionKid: string; encryptionPublicKeyFile: string; signingKid: string; signingPublicKeyFile: string };
  };
  'hcx-gateway'?: {
    url?: string;
    jwks_url?: string;
    participants: { role: string; client_id: string; client_secret: string; endpoint_url: string; private_key_file: string; certificate_file: string }[];
  };
}

export type ServiceName = 'auth-service' | 'payment-service' | 'session-service' | 'hcx-gateway';

const URL_OPTION: Record<ServiceName, { option: keyof GlobalOptions; env: string; flag: string }> = {
  'auth-service': { option: 'authUrl', env: 'NPI_AUTH_URL', flag: '--auth-url' },
  'payment-service': { option: 'paymentUrl', env: 'NPI_PAYMENT_URL', flag: '--payment-url' },
  'session-service': { option: 'sessionUrl', env: 'NPI_SESSION_URL', flag: '--session-url' },
  'hcx-gateway': { option: 'hcxUrl', env: 'NPI_HCX_URL', flag: '--hcx-url' },
};

export const DEFAULT_CREDENTIALS_FILE = path.join('.data', 'demo', 'credentials.json');

export class CliContext {
  private loaded?: DemoCredentials;

  constructor(
    readonly options: GlobalOptions,
    readonly out: Output,
    readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  get credentialsFile(): string {
    return path.resolve(this.options.credentials ?? this.env.NPI_PARTNER_CREDENTIALS ?? DEFAULT_CREDENTIALS_FILE);
  }

  /** The demo credentials; only commands that need a default they do not have read them. */
  credentials(): DemoCredentials {
    if (this.loaded) return this.loaded;
    const file = this.credentialsFile;
    if (!fs.existsSync(file)) {
      throw new CliError('ERR_CREDENTIALS_NOT_FOUND', `no credentials file at ${file}`, 'run `npm start` in the repository first (it writes .data/demo/credentials.json), pass --credentials <file>, or give the values as options');
    }
    try {
      this.loaded = JSON.parse(fs.readFileSync(file, 'utf8')) as DemoCredentials;
    } catch (error) {
      throw new CliError('ERR_CREDENTIALS_INVALID', `${file} is not JSON: ${(error as Error).message}`, 'restart `npm start` to rewrite it, or pass --credentials <file>');
    }
    return this.loaded;
  }

  /** A section of the credentials file, or an error naming what to pass instead. */
  section<K extends keyof DemoCredentials>(name: K, instead: string): NonNullable<DemoCredentials[K]> {
    const value = this.credentials()[name];
    if (!value) throw new CliError('ERR_CREDENTIALS_INCOMPLETE', `${this.credentialsFile} has no "${String(name)}" section`, `pass ${instead}, or restart \`npm start\` to rewrite the file`);
    return value as NonNullable<DemoCredentials[K]>;
  }

  baseUrl(service: ServiceName): string {
    const { option, env, flag } = URL_OPTION[service];
    const explicit = (this.options[option] as string | undefined) ?? this.env[env];
    const url = explicit ?? this.credentials().services?.[service];
    if (!url) throw new CliError('ERR_BASE_URL_MISSING', `no base URL for ${service}`, `pass ${flag} <url> or set ${env}`);
    return url.replace(/\/$/, '');
  }

  /** Standalone mode keeps secrets next to the demo folder: `<dataDir>/secrets/...`. */
  standaloneSecret(...segments: string[]): string | undefined {
    const file = path.join(path.dirname(path.dirname(this.credentialsFile)), 'secrets', ...segments);
    return fs.existsSync(file) ? fs.readFileSync(file, 'utf8').trim() : undefined;
  }
}

export function readFileOption(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    throw new CliError('ERR_FILE_UNREADABLE', `cannot read ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, `check the path given for the ${what}`);
  }
}
