/** `keys generate` and `keys jwks`: a partner's RSA key pair, self-signed certificate, PFX and JWKS. */
import { createHash, createPrivateKey, createPublicKey, randomBytes, X509Certificate } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { calculateJwkThumbprint, exportJWK } from 'jose';
import { KeySet, MIN_RSA_MODULUS_BITS, importPublicKey, toPublicJwks } from '@npi/jose-envelope';
import { generateMemberCredentials } from '@npi/signature-token';
import { readFileOption } from '../context';
import { CliError, usageError } from '../errors';
import { action } from './action';

export interface GeneratedKeys {
  privateKeyFile: string;
  certificateFile: string;
  pfxFile: string;
  passphraseFile?: string;
  modulusLength: number;
  certificateSha256: string;
  notAfter: string;
}

export function generateKeys(options: { out: string; name: string; bits: number; days: number; passphrase?: string }): GeneratedKeys {
  if (!Number.isInteger(options.bits) || options.bits < MIN_RSA_MODULUS_BITS) {
    throw new CliError('ERR_KEY_TOO_SMALL', `RSA keys must have at least ${MIN_RSA_MODULUS_BITS} bits (got ${options.bits})`, `use --bits ${MIN_RSA_MODULUS_BITS} or more`);
  }
  if (!/^[A-Za-z0-9._@-]{1,64}$/.test(options.name)) throw usageError(`--name ${options.name} is not a usable file name`, 'use letters, digits and . _ @ - only');
  fs.mkdirSync(options.out, { recursive: true, mode: 0o700 });
  const passphrase = options.passphrase ?? randomBytes(18).toString('base64url');
  // One certificate for every use a partner has: NCHL signing, HCX signing and HCX encryption.
  const credentials = generateMemberCredentials({ commonName: options.name, passphrase, days: options.days, modulusLength: options.bits, allowKeyEncipherment: true });
  const base = path.join(options.out, options.name.replace(/[^A-Za-z0-9._-]/g, '_'));
  const files = { privateKeyFile: `${base}-private-key.pem`, certificateFile: `${base}-cert.pem`, pfxFile: `${base}.pfx`, passphraseFile: `${base}.passphrase` };
  for (const file of Object.values(files)) {
    if (fs.existsSync(file)) throw new CliError('ERR_FILE_EXISTS', `${file} exists`, 'choose another --out or --name; keys are never overwritten');
  }
  fs.writeFileSync(files.privateKeyFile, credentials.privateKeyPem, { mode: 0o600, flag: 'wx' });
  fs.writeFileSync(files.certificateFile, credentials.certificatePem, { mode: 0o644, flag: 'wx' });
  fs.writeFileSync(files.pfxFile, credentials.pfx, { mode: 0o600, flag: 'wx' });
  // A passphrase the user chose stays with the user; a generated one must be kept somewhere.
  if (options.passphrase === undefined) fs.writeFileSync(files.passphraseFile, passphrase, { mode: 0o600, flag: 'wx' });
  const certificate = new X509Certificate(credentials.certificatePem);
  return {
    privateKeyFile: files.privateKeyFile,
    certificateFile: files.certificateFile,
    pfxFile: files.pfxFile,
    ...(options.passphrase === undefined ? { passphraseFile: files.passphraseFile } : {}),
    modulusLength: options.bits,
    certificateSha256: createHash('sha256').update(certificate.raw).digest('hex'),
    notAfter: new Date(certificate.validTo).toISOString(),
  };
}

/** Public key of a certificate, public key or private key PEM (the private part never leaves). */
function publicKeyOf(pem: string, file: string): KeyObject {
  try {
    return pem.includes('PRIVATE KEY') ? createPublicKey(createPrivateKey(pem)) : importPublicKey(pem);
  } catch (error) {
    throw new CliError('ERR_KEY_INVALID', `${file} holds no usable RSA key or certificate: ${(error as Error).message}`, 'pass a PEM certificate, public key or private key of at least 2048 bits');
  }
}

export async function jwksOf(files: string[], use: 'sig' | 'enc', kids: string[] = []): Promise<unknown> {
  const entries = [];
  for (const [index, file] of files.entries()) {
    const key = publicKeyOf(readFileOption(file, 'key file').toString('utf8'), file);
    const kid = kids[index] ?? (await calculateJwkThumbprint(await exportJWK(key)));
    entries.push({ kid, key, use });
  }
  try {
    return toPublicJwks(new KeySet(entries));
  } catch (error) {
    throw new CliError((error as { code?: string }).code ?? 'ERR_KEY_INVALID', (error as Error).message, 'RSA keys of at least 2048 bits, each with its own kid (--kid)');
  }
}

export function registerKeys(program: Command): void {
  const keys = program.command('keys').description('RSA key pairs, certificates, PFX files and JWKS for a partner');
  keys
    .command('generate')
    .description('generate an RSA key pair, a self-signed X.509 certificate and a PFX (PKCS#12) protected by a passphrase')
    .option('--out <dir>', 'folder for the files', '.')
    .option('--name <name>', 'certificate common name and file name prefix', 'partner')
    .option('--bits <n>', `RSA modulus length (>= ${MIN_RSA_MODULUS_BITS})`, (v) => Number(v), 2048)
    .option('--days <n>', 'certificate lifetime in days', (v) => Number(v), 365)
    .option('--passphrase-file <file>', 'read the PFX passphrase from this file (default: generate one and write <name>.passphrase, mode 0600)')
    .addHelpText('after', '\nExamples:\n  npx npi-partner keys generate --out ./keys --name MYBANK\n  npx npi-partner keys generate --out ./keys --name payor@hcx --bits 3072 --json')
    .action(
      action(async (ctx, options: { out: string; name: string; bits: number; days: number; passphraseFile?: string }) => {
        const passphrase = options.passphraseFile ? readFileOption(options.passphraseFile, 'passphrase file').toString('utf8').trim() : undefined;
        const generated = generateKeys({ out: options.out, name: options.name, bits: options.bits, days: options.days, passphrase });
        ctx.out.result(generated, (g) => Object.entries(g as object).map(([k, v]) => `${k.padEnd(18)} ${String(v)}`).join('\n'));
      }),
    );
  keys
    .command('jwks')
    .description('print the public JWKS of certificates or keys (private keys are reduced to their public part)')
    .argument('<files...>', 'PEM certificate, public key or private key files')
    .option('--use <use>', 'sig or enc', 'sig')
    .option('--kid <kid...>', 'key ids, in file order (default: RFC 7638 thumbprint)')
    .addHelpText('after', '\nExamples:\n  npx npi-partner keys jwks ./keys/MYBANK-cert.pem\n  npx npi-partner keys jwks signing.pem encryption.pem --kid sig-1 enc-1')
    .action(
      action(async (ctx, files: string[], options: { use: string; kid?: string[] }) => {
        if (options.use !== 'sig' && options.use !== 'enc') throw usageError('--use must be sig or enc', 'pass --use sig or --use enc');
        ctx.out.result(await jwksOf(files, options.use, options.kid));
      }),
    );
}
