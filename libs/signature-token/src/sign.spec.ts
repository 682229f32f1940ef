import { constants as nodeConstants, createPrivateKey, createPublicKey, sign as cryptoSign, verify as cryptoVerify, verify as verifyWithNode, X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import forge from 'node-forge';
import { loadSigner, sign } from './sign';
import { buildRealTimeTokenString } from './token-strings/real-time';
import { generateMemberCredentials, type MemberCredentials } from './testing/generate-credentials';
import { aRealTimeRequest, SAMPLE_USER_ID } from './testing/sample-requests';
import { codeOf, errorOf } from './testing/expect-code';

const PASSPHRASE = 'correct horse battery staple';
const tokenString = buildRealTimeTokenString(aRealTimeRequest(), SAMPLE_USER_ID);

let member: MemberCredentials;
let legacyMember: MemberCredentials;
let smallKeyMember: MemberCredentials;
let otherMember: MemberCredentials;

beforeAll(() => {
  member = generateMemberCredentials({ commonName: 'MEMBER-A', passphrase: PASSPHRASE, days: 30 });
  legacyMember = generateMemberCredentials({ commonName: 'MEMBER-L', passphrase: PASSPHRASE, days: 30, encryption: '3des' });
  smallKeyMember = generateMemberCredentials({ commonName: 'MEMBER-S', passphrase: PASSPHRASE, days: 30, modulusLength: 1024 });
  otherMember = generateMemberCredentials({ commonName: 'MEMBER-B', passphrase: PASSPHRASE, days: 30 });
});

describe('loadSigner', () => {
  it.each([
    ['PBES2/AES-256 (the default)', () => member],
    ['legacy 3DES', () => legacyMember],
  ])('signs with the key of a %s PFX: plain node:crypto verifies it with the certificate', (_, credentials) => {
    const { pfx, certificatePem } = credentials();
    const token = loadSigner(pfx, PASSPHRASE).sign(tokenString);
    expect(cryptoVerify('sha256', Buffer.from(tokenString, 'utf8'), new X509Certificate(certificatePem).publicKey, Buffer.from(token, 'base64'))).toBe(true);
    expect(cryptoVerify('sha256', Buffer.from(`${tokenString}x`, 'utf8'), new X509Certificate(certificatePem).publicKey, Buffer.from(token, 'base64'))).toBe(false);
  });

  it('produces exactly what node:crypto sign (RSASSA-PKCS1-v1_5, SHA-256) produces: base64, one line', () => {
    const token = loadSigner(member.pfx, PASSPHRASE).sign(tokenString);
    const expected = cryptoSign('sha256', Buffer.from(tokenString, 'utf8'), createPrivateKey(member.privateKeyPem)).toString('base64');
    expect(token).toBe(expected);
    expect(token).toMatch(/^[A-Za-z0-9+/]{342}==$/);
  });

  it('signs the UTF-8 bytes of non-ASCII text', () => {
    const text = 'नेपाल,१००.००';
    const token = loadSigner(member.pfx, PASSPHRASE).sign(text);
    expect(cryptoVerify('sha256', Buffer.from(text, 'utf8'), createPublicKey(member.privateKeyPem), Buffer.from(token, 'base64'))).toBe(true);
  });

  it('exposes the PFX certificate and the key size, not the key', () => {
    const signer = loadSigner(member.pfx, PASSPHRASE);
    expect(signer.certificate.fingerprint256).toBe(new X509Certificate(member.certificatePem).fingerprint256);
    expect(new X509Certificate(signer.certificatePem).fingerprint256).toBe(signer.certificate.fingerprint256);
    expect(signer.modulusLength).toBe(2048);
    const shown = `${inspect(signer, { showHidden: true, depth: 5 })}${JSON.stringify(signer)}`;
    expect(shown).not.toMatch(/PRIVATE KEY|privateKey/);
  });

  it('signBytes signs arbitrary bytes the way openssl dgst -sha256 -sign does (verifiable with the certificate)', () => {
    const signer = loadSigner(member.pfx, PASSPHRASE);
    const body = Buffer.from('[{"bankId":"2501","bankName":"Himalayan Bank Limited"}]', 'utf8');
    const signature = signer.signBytes(body);
    expect(cryptoVerifyBytes(body, signature, signer.certificatePem)).toBe(true);
    expect(cryptoVerifyBytes(Buffer.from(body.toString('utf8').replace('2501', '2502')), signature, signer.certificatePem)).toBe(false);
    expect(signer.signBytes(Buffer.from('a,b', 'utf8'))).toBe(signer.sign('a,b'));
  });

  it('signAsync and signBytesAsync (on the thread pool) give the same signatures as sign and signBytes', async () => {
    const signer = loadSigner(member.pfx, PASSPHRASE);
    const body = Buffer.from('{"cipsBatchResponse":{"batchId":"B1"}}', 'utf8');
    await expect(signer.signAsync(tokenString)).resolves.toBe(signer.sign(tokenString));
    await expect(signer.signBytesAsync(body)).resolves.toBe(signer.signBytes(body));
    expect(cryptoVerifyBytes(body, await signer.signBytesAsync(body), signer.certificatePem)).toBe(true);
  });

  it('the one-shot sign() gives the same token', () => {
    expect(sign(tokenString, member.pfx, PASSPHRASE)).toBe(loadSigner(member.pfx, PASSPHRASE).sign(tokenString));
  });

  it('accepts a Uint8Array view into a larger buffer', () => {
    const padded = Buffer.concat([Buffer.from('junk'), member.pfx, Buffer.from('junk')]);
    const view = new Uint8Array(padded.buffer, padded.byteOffset + 4, member.pfx.length);
    expect(loadSigner(view, PASSPHRASE).sign(tokenString)).toBe(loadSigner(member.pfx, PASSPHRASE).sign(tokenString));
  });

  it.each([
    ['PBES2/AES-256', () => member],
    ['legacy 3DES', () => legacyMember],
  ])('a wrong passphrase on a %s PFX is ERR_PFX_PASSPHRASE, and the message holds neither passphrase', (_, credentials) => {
    const error = errorOf(() => loadSigner(credentials().pfx, 'wrong passphrase'));
    expect(error.code).toBe('ERR_PFX_PASSPHRASE');
    expect(error.message).toMatch(/passphrase/);
    expect(error.message).not.toContain('wrong passphrase');
    expect(error.message).not.toContain(PASSPHRASE);
  });

  it('an empty passphrase on a protected PFX is ERR_PFX_PASSPHRASE', () => {
    expect(codeOf(() => loadSigner(member.pfx, ''))).toBe('ERR_PFX_PASSPHRASE');
  });

  it('a passphrase that is not a string is ERR_PFX_PASSPHRASE', () => {
    expect(codeOf(() => loadSigner(member.pfx, undefined as unknown as string))).toBe('ERR_PFX_PASSPHRASE');
  });

  it.each([
    ['empty', () => Buffer.alloc(0)],
    ['text', () => Buffer.from('this is not a PFX')],
    ['truncated', () => member.pfx.subarray(0, member.pfx.length - 40)],
    ['followed by garbage', () => Buffer.concat([member.pfx, Buffer.from([0, 1, 2])])],
    ['a PEM certificate', () => Buffer.from(member.certificatePem)],
    ['a base64 string', () => member.pfx.toString('base64') as unknown as Buffer],
    ['absent', () => undefined as unknown as Buffer],
  ])('a broken PFX (%s) is ERR_PFX_INVALID', (_, pfx) => {
    expect(codeOf(() => loadSigner(pfx(), PASSPHRASE))).toBe('ERR_PFX_INVALID');
  });

  it('a PFX damaged inside its MAC-protected contents fails the integrity check (ERR_PFX_PASSPHRASE)', () => {
    const damaged = Buffer.from(member.pfx);
    damaged[Math.floor(damaged.length / 2)] ^= 0x01;
    const error = errorOf(() => loadSigner(damaged, PASSPHRASE));
    expect(error.code).toBe('ERR_PFX_PASSPHRASE');
    expect(error.message).toMatch(/damaged/);
  });

  it('a PFX with a 1024-bit key is ERR_KEY_TOO_SMALL', () => {
    expect(codeOf(() => loadSigner(smallKeyMember.pfx, PASSPHRASE))).toBe('ERR_KEY_TOO_SMALL');
  });

  it("a PFX whose certificate is another key's is ERR_PFX_INVALID", () => {
    const key = forge.pki.privateKeyFromPem(member.privateKeyPem);
    const certificate = forge.pki.certificateFromPem(otherMember.certificatePem);
    const mismatched = Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, [certificate], PASSPHRASE, { algorithm: '3des' })).getBytes(), 'binary');
    const error = errorOf(() => loadSigner(mismatched, PASSPHRASE));
    expect(error.code).toBe('ERR_PFX_INVALID');
    expect(error.message).toMatch(/no certificate for its private key/);
  });

  it('a PFX without a certificate is ERR_PFX_INVALID', () => {
    const key = forge.pki.privateKeyFromPem(member.privateKeyPem);
    const keyOnly = Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, null as never, PASSPHRASE, { algorithm: '3des', generateLocalKeyId: false })).getBytes(), 'binary');
    expect(codeOf(() => loadSigner(keyOnly, PASSPHRASE))).toBe('ERR_PFX_INVALID');
  });

  it('finds the key\'s certificate among others (a chain)', () => {
    const key = forge.pki.privateKeyFromPem(member.privateKeyPem);
    const chain = [forge.pki.certificateFromPem(otherMember.certificatePem), forge.pki.certificateFromPem(member.certificatePem)];
    const pfx = Buffer.from(forge.asn1.toDer(forge.pkcs12.toPkcs12Asn1(key, chain, PASSPHRASE, { algorithm: '3des' })).getBytes(), 'binary');
    expect(loadSigner(pfx, PASSPHRASE).certificate.fingerprint256).toBe(new X509Certificate(member.certificatePem).fingerprint256);
  });

  it('refuses to sign a string with a lone surrogate (its UTF-8 bytes would equal another string\'s)', () => {
    expect(codeOf(() => loadSigner(member.pfx, PASSPHRASE).sign('a\uDC00'))).toBe('ERR_FIELD_INVALID');
  });
});

function cryptoVerifyBytes(bytes: Buffer, signatureBase64: string, certificatePem: string): boolean {
  return verifyWithNode('sha256', bytes, { key: certificatePem, padding: nodeConstants.RSA_PKCS1_PADDING }, Buffer.from(signatureBase64, 'base64'));
}
