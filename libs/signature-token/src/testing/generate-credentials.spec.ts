import { createPrivateKey, X509Certificate } from 'node:crypto';
import { loadSigner } from '../sign';
import { generateMemberCredentials } from './generate-credentials';

describe('generateMemberCredentials', () => {
  const now = new Date('2031-05-06T07:08:09.500Z');
  const credentials = generateMemberCredentials({ commonName: 'DEMO-MEMBER', passphrase: 'demo', days: 10, now });
  const certificate = new X509Certificate(credentials.certificatePem);

  it('makes a self-signed certificate for the common name, valid from `now` (whole seconds) for `days`', () => {
    expect(certificate.subject).toBe('CN=DEMO-MEMBER');
    expect(certificate.issuer).toBe('CN=DEMO-MEMBER');
    expect(new Date(certificate.validFrom).toISOString()).toBe('2031-05-06T07:08:09.000Z');
    expect(new Date(certificate.validTo).toISOString()).toBe('2031-05-16T07:08:09.000Z');
    expect(certificate.verify(certificate.publicKey)).toBe(true);
    expect(certificate.ca).toBe(false);
  });

  it('uses a 2048-bit RSA key matching the private key PEM, with a positive 16-byte serial', () => {
    expect(certificate.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(certificate.checkPrivateKey(createPrivateKey(credentials.privateKeyPem))).toBe(true);
    expect(certificate.serialNumber).toMatch(/^[4-7][0-9A-F]{31}$/);
  });

  it('puts the same key and certificate in the PFX', () => {
    expect(loadSigner(credentials.pfx, 'demo').certificate.fingerprint256).toBe(certificate.fingerprint256);
  });

  it('makes different keys each call', () => {
    const again = generateMemberCredentials({ commonName: 'DEMO-MEMBER', passphrase: 'demo', days: 10, now });
    expect(again.certificatePem).not.toBe(credentials.certificatePem);
  });

  it.each([
    ['a non-ASCII passphrase', { passphrase: 'pässwörd' }],
    ['no common name', { commonName: '' }],
    ['zero days', { days: 0 }],
  ])('refuses %s', (_, override) => {
    expect(() => generateMemberCredentials({ commonName: 'X', passphrase: 'p', days: 1, ...override })).toThrow();
  });
});
