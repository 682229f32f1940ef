import { sign as cryptoSign, X509Certificate } from 'node:crypto';
import { loadSigner, type Signer } from './sign';
import { createVerifier, verify } from './verify';
import { buildRealTimeTokenString } from './token-strings/real-time';
import { generateMemberCredentials, type MemberCredentials } from './testing/generate-credentials';
import { aRealTimeRequest, SAMPLE_USER_ID } from './testing/sample-requests';
import { codeOf } from './testing/expect-code';

const PASSPHRASE = 'member passphrase';
const ISSUED = new Date('2030-01-01T00:00:00Z');
const tokenString = buildRealTimeTokenString(aRealTimeRequest(), SAMPLE_USER_ID);

let member: MemberCredentials;
let signer: Signer;
let otherSigner: Signer;
let smallKeyMember: MemberCredentials;
let token: string;
const during = createVerifier({ clock: () => new Date('2030-01-15T00:00:00Z') });

beforeAll(() => {
  member = generateMemberCredentials({ commonName: 'MEMBER-A', passphrase: PASSPHRASE, days: 30, now: ISSUED });
  signer = loadSigner(member.pfx, PASSPHRASE);
  otherSigner = loadSigner(generateMemberCredentials({ commonName: 'MEMBER-B', passphrase: PASSPHRASE, days: 30, now: ISSUED }).pfx, PASSPHRASE);
  smallKeyMember = generateMemberCredentials({ commonName: 'MEMBER-S', passphrase: PASSPHRASE, days: 30, now: ISSUED, modulusLength: 1024 });
  token = signer.sign(tokenString);
});

/**
 * 256 bytes end in one byte, `XY==`: Y carries 2 bits and 4 zero pad bits, so Y+1 (A->B, Q->R,
 * g->h, w->x) decodes to the same bytes.
 */
function respellPadBits(valid: string): string {
  return `${valid.slice(0, 342)}${String.fromCharCode(valid.charCodeAt(342) + 1)}==`;
}

describe('verify', () => {
  it.each([
    ['PEM text', () => member.certificatePem],
    ['DER bytes', () => new X509Certificate(member.certificatePem).raw],
    ['an X509Certificate', () => new X509Certificate(member.certificatePem)],
  ])('accepts the signer\'s token with the certificate as %s', (_, certificate) => {
    expect(() => during.verify(tokenString, token, certificate())).not.toThrow();
  });

  it('a token from another member\'s key is ERR_SIGNATURE_INVALID', () => {
    expect(codeOf(() => during.verify(tokenString, otherSigner.sign(tokenString), member.certificatePem))).toBe('ERR_SIGNATURE_INVALID');
  });

  it('a token over another string is ERR_SIGNATURE_INVALID', () => {
    expect(codeOf(() => during.verify(tokenString.replace('1500.00', '1500.01'), token, member.certificatePem))).toBe('ERR_SIGNATURE_INVALID');
    expect(codeOf(() => during.verify(`${tokenString} `, token, member.certificatePem))).toBe('ERR_SIGNATURE_INVALID');
  });

  it('a token with one bit flipped is ERR_SIGNATURE_INVALID', () => {
    const bytes = Buffer.from(token, 'base64');
    bytes[100] ^= 0x04;
    expect(codeOf(() => during.verify(tokenString, bytes.toString('base64'), member.certificatePem))).toBe('ERR_SIGNATURE_INVALID');
  });

  const malformed: [string, (valid: string) => unknown][] = [
    ['empty', () => ''],
    ['not a string', () => 12345],
    ['absent', () => undefined],
    ['garbage', () => 'not a signature at all'],
    ['garbage of the right length', () => '!'.repeat(344)],
    ['base64url alphabet', (valid) => valid.replace(/\+/g, '-').replace(/\//g, '_').replace(/[A-Z]/, '-')],
    ['padding removed', (valid) => valid.replace(/=+$/, '')],
    ['extra padding', (valid) => `${valid}=`],
    ['a line break (MIME style)', (valid) => `${valid.slice(0, 76)}\r\n${valid.slice(76)}`],
    ['a space', (valid) => ` ${valid.slice(1)}`],
    ['leading whitespace', (valid) => `\n${valid}`],
    ['a padding character in the middle', (valid) => `${valid.slice(0, 100)}=${valid.slice(101)}`],
    ['non-zero pad bits (same bytes, second spelling)', respellPadBits],
    ['one byte short', (valid) => Buffer.from(valid, 'base64').subarray(1).toString('base64')],
    ['one byte long', (valid) => Buffer.concat([Buffer.from(valid, 'base64'), Buffer.from([0])]).toString('base64')],
    ['hex instead of base64', (valid) => Buffer.from(valid, 'base64').toString('hex')],
  ];

  it.each(malformed)('a token that is %s is ERR_SIGNATURE_MALFORMED', (_, mangle) => {
    expect(codeOf(() => during.verify(tokenString, mangle(token) as string, member.certificatePem))).toBe('ERR_SIGNATURE_MALFORMED');
  });

  it('the non-zero pad bits case really decodes to the valid signature bytes (so only strictness refuses it)', () => {
    const respelled = respellPadBits(token);
    expect(respelled).not.toBe(token);
    expect(Buffer.from(respelled, 'base64').equals(Buffer.from(token, 'base64'))).toBe(true);
  });

  describe('certificate validity against the injected clock', () => {
    const certificateDates = () => {
      const certificate = new X509Certificate(member.certificatePem);
      return { notBefore: new Date(certificate.validFrom), notAfter: new Date(certificate.validTo) };
    };
    const at = (time: Date) => createVerifier({ clock: () => time });

    it('is valid from notBefore to notAfter inclusive', () => {
      const { notBefore, notAfter } = certificateDates();
      expect(notBefore.toISOString()).toBe('2030-01-01T00:00:00.000Z');
      expect(() => at(notBefore).verify(tokenString, token, member.certificatePem)).not.toThrow();
      expect(() => at(notAfter).verify(tokenString, token, member.certificatePem)).not.toThrow();
    });

    it('before notBefore is ERR_CERTIFICATE_NOT_YET_VALID, even with a good signature', () => {
      const { notBefore } = certificateDates();
      expect(codeOf(() => at(new Date(notBefore.getTime() - 1000)).verify(tokenString, token, member.certificatePem))).toBe('ERR_CERTIFICATE_NOT_YET_VALID');
    });

    it('after notAfter is ERR_CERTIFICATE_EXPIRED, even with a good signature', () => {
      const { notAfter } = certificateDates();
      expect(codeOf(() => at(new Date(notAfter.getTime() + 1000)).verify(tokenString, token, member.certificatePem))).toBe('ERR_CERTIFICATE_EXPIRED');
    });

    it('the default verify() uses the system clock: a certificate issued in 2030 is not yet valid', () => {
      expect(codeOf(() => verify(tokenString, token, member.certificatePem))).toBe('ERR_CERTIFICATE_NOT_YET_VALID');
    });

    it('the default verify() accepts a certificate valid now', () => {
      const current = generateMemberCredentials({ commonName: 'NOW', passphrase: PASSPHRASE, days: 1 });
      const currentToken = loadSigner(current.pfx, PASSPHRASE).sign(tokenString);
      expect(() => verify(tokenString, currentToken, current.certificatePem)).not.toThrow();
    });
  });

  it.each([
    ['garbage text', 'not a certificate'],
    ['a PEM private key', 'PRIVATE_KEY'],
    ['random bytes', Buffer.from('30820122300d06092a', 'hex')],
    ['a number', 42],
    ['null', null],
  ])('a certificate that is %s is ERR_CERTIFICATE_INVALID', (_, certificate) => {
    const input = certificate === 'PRIVATE_KEY' ? member.privateKeyPem : certificate;
    expect(codeOf(() => during.verify(tokenString, token, input as string))).toBe('ERR_CERTIFICATE_INVALID');
  });

  it('a certificate with a 1024-bit key is ERR_KEY_TOO_SMALL', () => {
    // Signed with plain node:crypto, since loadSigner refuses such keys.
    const smallToken = cryptoSign('sha256', Buffer.from(tokenString), smallKeyMember.privateKeyPem).toString('base64');
    expect(codeOf(() => during.verify(tokenString, smallToken, smallKeyMember.certificatePem))).toBe('ERR_KEY_TOO_SMALL');
  });

  it('refuses a token string with a lone surrogate', () => {
    expect(codeOf(() => during.verify('a\uD800', token, member.certificatePem))).toBe('ERR_FIELD_INVALID');
  });

  it('rejects a non-positive cache size', () => {
    expect(() => createVerifier({ maxCachedCertificates: 0 })).toThrow(RangeError);
  });
});

