/** hcx-gateway over HTTP: API keys, the participant registry, protocol APIs, the gateway's JWKS. */
import { CliError } from '../errors';
import { bearer, httpCall, json } from './http';
import type { HttpAnswer } from './http';

export const HCX_PROTOCOL_VERSION = 'v0.8';

export interface RegistryEntry {
  participant_code: string;
  status?: string;
  endpoint_url?: string;
  /** PEM, or (HCX specification) the URL of the PEM. */
  encryption_cert?: string;
  [field: string]: unknown;
}

function hcxError(what: string, answer: HttpAnswer<unknown>, fix: string): CliError {
  const error = (answer.body as { error?: { code?: string; message?: string } } | undefined)?.error;
  return new CliError(error?.code ?? `HTTP_${answer.status}`, `${what}: ${answer.status} ${error?.message ?? JSON.stringify(answer.body)}`, fix, answer.body);
}

export class HcxClient {
  constructor(private readonly baseUrl: string) {}

  get jwksUrl(): string {
    return `${this.baseUrl}/.well-known/jwks.json`;
  }

  async apiKey(clientId: string, clientSecret: string): Promise<{ access_token: string; expires_in?: number; token_type?: string }> {
    const answer = await httpCall<{ access_token: string }>(`${this.baseUrl}/token/generate`, json({ client_id: clientId, client_secret: clientSecret }));
    if (answer.status !== 200) throw hcxError('token/generate refused', answer, 'check the participant code and client_secret (the demo values are in .data/demo/credentials.json under "hcx-gateway")');
    return answer.body;
  }

  /** A participant's registry entry: the specification's search first, this gateway's read by code as a fallback. */
  async participant(apiKey: string, code: string): Promise<RegistryEntry> {
    const search = await httpCall<{ participants?: RegistryEntry[] }>(`${this.baseUrl}/${HCX_PROTOCOL_VERSION}/participant/search`, { ...json({ filters: { participant_code: { eq: code } } }), headers: { 'content-type': 'application/json', ...bearer(apiKey) } });
    if (search.status === 200 && Array.isArray(search.body?.participants)) {
      const found = search.body.participants.find((p) => p.participant_code === code);
      if (found) return found;
    } else if (search.status === 404 || search.status === 405) {
      const read = await httpCall<RegistryEntry>(`${this.baseUrl}/participants/${encodeURIComponent(code)}`, { headers: bearer(apiKey) });
      if (read.status === 200) return read.body;
      if (read.status !== 404) throw hcxError(`registry lookup of ${code} failed`, read, 'check the API key (npi-partner hcx token) and the participant code');
    } else if (search.status !== 200) {
      throw hcxError(`registry search for ${code} failed`, search, 'check the API key (npi-partner hcx token) and the participant code');
    }
    throw new CliError('ERR_PARTICIPANT_NOT_FOUND', `${code} is not in the HCX registry`, 'check --to (the demo participants are demo-provider@hcx and demo-payor@hcx)');
  }

  /** The recipient's encryption certificate PEM, fetched when the registry holds its URL. */
  async encryptionCertificate(entry: RegistryEntry): Promise<string> {
    const value = entry.encryption_cert;
    if (!value) throw new CliError('ERR_NO_ENCRYPTION_CERT', `${entry.participant_code} has no encryption_cert in the registry`, 'ask the participant to register one');
    if (value.includes('-----BEGIN')) return value;
    const answer = await httpCall<string>(value);
    if (answer.status !== 200 || typeof answer.body !== 'string' || !answer.body.includes('-----BEGIN')) {
      throw new CliError('ERR_ENCRYPTION_CERT_UNAVAILABLE', `cannot fetch ${entry.participant_code}'s encryption_cert from ${value} (${answer.status})`, "the recipient's certificate URL must serve a PEM certificate");
    }
    return answer.body;
  }

  /** POST /v0.8/<entity>/<action>; the acknowledgement, or the gateway's error as a CliError. */
  async send(apiKey: string, api: string, body: unknown): Promise<Record<string, unknown>> {
    const answer = await httpCall<Record<string, unknown>>(`${this.baseUrl}/${HCX_PROTOCOL_VERSION}/${api}`, { ...json(body), headers: { 'content-type': 'application/json', ...bearer(apiKey) } });
    if (answer.status !== 202 && answer.status !== 200) throw hcxError(`${api} refused`, answer, 'the code says which header or field; see docs/guides/hcx-participant.md');
    return answer.body;
  }
}
