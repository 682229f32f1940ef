import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

export interface MemberCredentialsOptions {
  /** Subject and issuer CN of the self-signed certificate, e.g. the member's code. */
  commonName: string;
  /** Passphrase protecting the PFX (printable ASCII, so every PKCS#12 reader agrees on its bytes). */
  passphrase: string;
  /** Certificate lifetime in days from `now`. */
  days: number;
  /** Start of validity. Default: the current time. */
  now?: Date;
  /**
   * RSA modulus length. Default 2048, what NCHL issues. Smaller values exist only so tests can
   * check that such keys are refused.
   */
  modulusLength?: number;
  /**
   * PBE of the key bag: `'aes256'` (PBES2, PBKDF2-HMAC-SHA256, the default) or `'3des'` (the
   * legacy PKCS#12 scheme older Java and Windows tools write).
   */
  encryption?: 'aes256' | '3des';
  /**
   * Also allow key encipherment in the certificate's keyUsage, so one certificate can serve as an
   * HCX participant's encryption and signing certificate (the gateway checks keyUsage on upload).
   */
  allowKeyEncipherment?: boolean;
}

export interface MemberCredentials {
  /** PKCS#12 file with the private key and the certificate. */
  pfx: Buffer;
  certificatePem: string;
  /** PKCS#8 PEM, unencrypted: for tests and demo data only. */
  privateKeyPem: string;
}

/**
 * A member's signing credentials for tests and standalone demo data: an RSA key pair (generated
 * by `node:crypto`, which is native and fast; node-forge's pure-JavaScript key generation is
 * not), a self-signed X.509 certificate and a PKCS#12 file built with node-forge. Real members
 * get their certificate from NCHL for a CSR instead.
 */
export function generateMemberCredentials(options: MemberCredentialsOptions): MemberCredentials {
  const { commonName, passphrase, days } = options;
  if (typeof commonName !== 'string' || commonName.length === 0) throw new TypeError('commonName is required');
  if (typeof passphrase !== 'string' || !/^[\x20-\x7e]*$/.test(passphrase)) {
    throw new TypeError('passphrase must be printable ASCII');
  }
  if (!Number.isFinite(days) || days <= 0) throw new RangeError('days must be a positive number');
  const modulusLength = options.modulusLength ?? 2048;
  const now = options.now ?? new Date();

  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength, publicExponent: 0x10001 });
  const privateKeyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const forgePrivateKey = forge.pki.privateKeyFromPem(privateKeyPem);
  const forgePublicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());

  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forgePublicKey;
  certificate.serialNumber = positiveSerialNumber();
  // X.509 times have whole seconds; start at this second so a clock reading `now` is inside.
  const notBefore = new Date(Math.floor(now.getTime() / 1000) * 1000);
  certificate.validity.notBefore = notBefore;
  certificate.validity.notAfter = new Date(notBefore.getTime() + days * 86_400_000);
  const name = [{ name: 'commonName', value: commonName }];
  certificate.setSubject(name);
  certificate.setIssuer(name);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true, ...(options.allowKeyEncipherment ? { keyEncipherment: true, dataEncipherment: true } : {}) },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(forgePrivateKey, forge.md.sha256.create());
  const certificatePem = forge.pki.certificateToPem(certificate);

  const encryption = options.encryption ?? 'aes256';
  const pkcs12 = forge.pkcs12.toPkcs12Asn1(forgePrivateKey, [certificate], passphrase, {
    algorithm: encryption,
    // Passed through to the key's PBES2 parameters (node-forge's default PRF is HMAC-SHA1).
    ...(encryption === 'aes256' ? { prfAlgorithm: 'sha256' } : {}),
    friendlyName: commonName,
    generateLocalKeyId: true,
  } as Parameters<typeof forge.pkcs12.toPkcs12Asn1>[3]);
  const pfx = Buffer.from(forge.asn1.toDer(pkcs12).getBytes(), 'binary');

  return { pfx, certificatePem, privateKeyPem };
}

/** RFC 5280 section 4.1.2.2: positive, unique, at most 20 octets. 16 random bytes, top bit clear. */
function positiveSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] & 0x7f) | 0x40;
  return bytes.toString('hex');
}

