/**
 * `billers launch-url` and `billers open`: the host app's two cryptographic steps in NPI Billers
 * (seed 000): seal the launch token (PS256 JWS inside an RSA-OAEP-256/A256GCM JWE for NPI Billers),
 * and open the npiObject the page hands back (decrypt with the host's key, verify NPI Billers' PS256
 * signature). Defaults: the demo participant of `npm start`.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Command } from 'commander';
import { KeySet, importPrivateKey, importPublicKey, isEnvelopeError, open, seal } from '@npi/jose-envelope';
import { readFileOption } from '../context';
import type { CliContext } from '../context';
import { CliError, usageError } from '../errors';
import { action } from './action';

interface HostOptions {
  participantCode?: string;
  signingKey?: string;
  signingKid?: string;
  encryptionKey?: string;
  encryptionKid?: string;
  billersEncryptionCert?: string;
  billersEncryptionKid?: string;
  billersSigningCert?: string;
  billersSigningKid?: string;
}

function hostKeys(ctx: CliContext, options: HostOptions) {
  const demo = () => ctx.section('session-service', 'the --participant-code and key options');
  const pick = (value: string | undefined, fallback: () => string) => value ?? fallback();
  return {
    participantCode: pick(options.participantCode, () => demo().participantCode),
    signingKeyFile: pick(options.signingKey, () => demo().participantKeys.signingKeyFile),
    signingKid: pick(options.signingKid, () => demo().participantKeys.signingKid),
    encryptionKeyFile: pick(options.encryptionKey, () => demo().participantKeys.encryptionKeyFile),
    encryptionKid: pick(options.encryptionKid, () => demo().participantKeys.encryptionKid),
    billersEncryptionFile: pick(options.billersEncryptionCert, () => demo().billersKeys.encryptionPublicKeyFile),
    billersEncryptionKid: pick(options.billersEncryptionKid, () => demo().billersKeys.encryptionKid),
    billersSigningFile: pick(options.billersSigningCert, () => demo().billersKeys.signingPublicKeyFile),
    billersSigningKid: pick(options.billersSigningKid, () => demo().billersKeys.signingKid),
  };
}

function key<T>(file: string, what: string, load: (pem: string) => T): T {
  const pem = readFileOption(file, what).toString('utf8');
  try {
    return load(pem);
  } catch (error) {
    throw new CliError((error as { code?: string }).code ?? 'ERR_KEY_INVALID', `${what} ${file}: ${(error as Error).message}`, 'give a PEM RSA key (>= 2048 bits) or certificate');
  }
}

export async function launchUrl(ctx: CliContext, options: HostOptions & { landingPage: string; channel: string; param?: string[] }): Promise<{ url: string; sessionId: string }> {
  const keys = hostKeys(ctx, options);
  const sessionId = `${keys.participantCode}_${randomUUID()}`;
  const token = await seal(
    { participant_code: keys.participantCode, session_id: sessionId, channel: options.channel },
    { signingKey: key(keys.signingKeyFile, 'participant signing key', (pem) => importPrivateKey(pem)), kid: keys.signingKid, alg: 'PS256' },
    { recipientKey: key(keys.billersEncryptionFile, 'NPI Billers encryption key', importPublicKey), kid: keys.billersEncryptionKid },
    { issuedAt: true, offload: false },
  );
  const extra: Record<string, string> = {};
  for (const pair of options.param ?? []) {
    const index = pair.indexOf('=');
    if (index <= 0) throw usageError(`--param ${pair} is not name=value`, 'pass --param biller_code=NTC-PREPAID, for example');
    extra[pair.slice(0, index)] = pair.slice(index + 1);
  }
  const query = new URLSearchParams({ landing_page: options.landingPage, participant_code: keys.participantCode, channel: options.channel, session_id: sessionId, token, ...(options.channel === 'web' ? { web_type: 'iframe' } : {}), ...extra });
  return { url: `${ctx.baseUrl('session-service')}/billers?${query.toString()}`, sessionId };
}

export async function openNpiObject(ctx: CliContext, npiObject: string, options: HostOptions): Promise<Record<string, unknown>> {
  const keys = hostKeys(ctx, options);
  try {
    const result = await open(npiObject.trim(), {
      decryptionKeys: new KeySet([{ kid: keys.encryptionKid, use: 'enc', key: key(keys.encryptionKeyFile, 'participant encryption key', (pem) => importPrivateKey(pem)) }]),
      sender: { id: 'npi-billers', keys: new KeySet([{ kid: keys.billersSigningKid, use: 'sig', key: key(keys.billersSigningFile, 'NPI Billers signing key', importPublicKey) }]) },
      offload: false,
    });
    return { verified: true, signer: { id: 'npi-billers', kid: result.protectedHeader.jws.kid }, claims: result.claims };
  } catch (error) {
    if (isEnvelopeError(error)) {
      throw new CliError(error.code, `the npiObject does not open: ${error.message}`, 'it must be the compact JWE the Billers page sent (submit_form_payload), for this participant; check --encryption-key and --billers-signing-cert');
    }
    throw error;
  }
}

const hostOptions = (command: Command) =>
  command
    .option('--participant-code <code>', 'host participant (default: the demo participant)')
    .option('--signing-key <file>', "participant's PS256 signing private key (PEM)")
    .option('--signing-kid <kid>', 'its kid as registered with NPI Billers')
    .option('--encryption-key <file>', "participant's encryption private key (PEM)")
    .option('--encryption-kid <kid>', 'its kid')
    .option('--billers-encryption-cert <file>', "NPI Billers' encryption public key or certificate (PEM)")
    .option('--billers-encryption-kid <kid>', 'its kid')
    .option('--billers-signing-cert <file>', "NPI Billers' signing public key or certificate (PEM)")
    .option('--billers-signing-kid <kid>', 'its kid');

export function registerBillers(program: Command): void {
  const billers = program.command('billers').description('NPI Billers as a host app (bank or wallet): launch URLs and npiObjects (session-service)');
  hostOptions(billers.command('launch-url'))
    .description('seal a launch token (PS256 inside RSA-OAEP-256/A256GCM) and print the Billers page URL to frame')
    .option('--landing-page <page>', 'biller-all, or a group/biller landing page', 'biller-all')
    .option('--channel <channel>', 'web or mob', 'web')
    .option('--param <name=value...>', 'extra query parameters')
    .addHelpText('after', '\nExamples:\n  npx npi-partner billers launch-url                                   # channel web: frame it from the registered host origin\n  npx npi-partner billers launch-url --channel mob --param os=android  # runs top-level, as in a mobile app\'s WebView')
    .action(
      action(async (ctx, options: HostOptions & { landingPage: string; channel: string; param?: string[] }) => {
        const result = await launchUrl(ctx, options);
        ctx.out.result(result, () => result.url);
      }),
    );
  hostOptions(billers.command('open'))
    .description("decrypt and verify the npiObject the Billers page hands to the host (submit_form_payload), and print its claims")
    .argument('<npiObject>', 'the compact JWE, or - to read it from stdin')
    .addHelpText('after', '\nExamples:\n  npx npi-partner billers open eyJhbGciOiJSU0EtT0FFUC0yNTYi...\n  pbpaste | npx npi-partner billers open - --json')
    .action(
      action(async (ctx, npiObject: string, options: HostOptions) => {
        const value = npiObject === '-' ? fs.readFileSync(0, 'utf8') : npiObject;
        ctx.out.result(await openNpiObject(ctx, value, options));
      }),
    );
}
