/** Self-signed test certificates over one RSA key, with a chosen keyUsage extension and validity. */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
const forgePrivate = forge.pki.privateKeyFromPem(pair.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string) as forge.pki.rsa.PrivateKey;
const forgePublic = forge.pki.publicKeyFromPem(pair.publicKey.export({ type: 'spki', format: 'pem' }) as string);

/** A self-signed certificate with the given keyUsage extension (none when undefined). */
export function certificateWith(keyUsage?: Record<string, boolean>, validity = { from: new Date(Date.now() - 60_000), to: new Date(Date.now() + 365 * 24 * 3600_000) }): string {
  const cert = forge.pki.createCertificate();
  cert.publicKey = forgePublic;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = validity.from;
  cert.validity.notAfter = validity.to;
  const attrs = [{ name: 'commonName', value: 'key-usage-test' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  if (keyUsage) cert.setExtensions([{ name: 'keyUsage', critical: true, ...keyUsage }]);
  cert.sign(forgePrivate, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}
