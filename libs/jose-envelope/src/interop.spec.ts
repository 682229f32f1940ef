/**
 * Interoperability: tokens made by `jose` (panva) open here, tokens sealed here open with `jose`,
 * and keys and signatures made by the `openssl` CLI work both ways.
 */
import { execFileSync } from 'node:child_process';
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as jose from 'jose';
import { KeySet, importPrivateKey, importPublicKey, open, seal, type JwsAlgorithm, type OpenOptions } from './index';
import { b64u } from './fixtures/craft';
import { rsaKeyPair } from './fixtures/test-keys';

const LAUNCH = { participant_code: 'BANK01', session_id: 'BANK01_0d6f7c1a-2b3c-4d5e-8f90-a1b2c3d4e5f6', channel: 'web' };

function optionsFor(recipientPrivate: KeyObject, senderPublic: KeyObject, algorithms?: JwsAlgorithm[]): OpenOptions {
  return {
    decryptionKeys: new KeySet([{ kid: 'enc-1', key: recipientPrivate, use: 'enc' }]),
    sender: { id: 'BANK01', keys: new KeySet([{ kid: 'sig-1', key: senderPublic, use: 'sig' }]), algorithms },
    offload: false,
  };
}

describe('interop with jose', () => {
  it('opens a nested JWT made with jose SignJWT + CompactEncrypt', async () => {
    const sender = await rsaKeyPair('sender');
    const recipient = await rsaKeyPair('recipient');
    const jws = await new jose.SignJWT(LAUNCH).setProtectedHeader({ alg: 'PS256', kid: 'sig-1', typ: 'JWT' }).sign(sender.privateKey);
    const jwe = await new jose.CompactEncrypt(new TextEncoder().encode(jws))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: 'enc-1' })
      .encrypt(recipient.publicKey);
    const result = await open(jwe, optionsFor(recipient.privateKey, sender.publicKey));
    expect(result.claims).toEqual(LAUNCH);
  });

  it('opens a JWS made with jose CompactSign (RS256, for a sender allowed RS256)', async () => {
    const sender = await rsaKeyPair('sender');
    const recipient = await rsaKeyPair('recipient');
    const jws = await new jose.CompactSign(new TextEncoder().encode(JSON.stringify(LAUNCH))).setProtectedHeader({ alg: 'RS256', kid: 'sig-1' }).sign(sender.privateKey);
    const jwe = await new jose.CompactEncrypt(new TextEncoder().encode(jws))
      .setProtectedHeader({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: 'enc-1' })
      .encrypt(recipient.publicKey);
    const result = await open(jwe, optionsFor(recipient.privateKey, sender.publicKey, ['PS256', 'RS256']));
    expect(result.protectedHeader.jws.alg).toBe('RS256');
    expect(result.claims).toEqual(LAUNCH);
  });

  it('opens RSA-OAEP (SHA-1) from jose only where configured', async () => {
    const sender = await rsaKeyPair('sender');
    const recipient = await rsaKeyPair('recipient');
    const jws = await new jose.SignJWT(LAUNCH).setProtectedHeader({ alg: 'PS256', kid: 'sig-1' }).sign(sender.privateKey);
    const jwe = await new jose.CompactEncrypt(new TextEncoder().encode(jws))
      .setProtectedHeader({ alg: 'RSA-OAEP', enc: 'A128GCM', cty: 'JWT', kid: 'enc-1' })
      .encrypt(recipient.publicKey);
    const options = optionsFor(recipient.privateKey, sender.publicKey);
    await expect(open(jwe, options)).rejects.toMatchObject({ code: 'ERR_ALG_NOT_ALLOWED' });
    const result = await open(jwe, { ...options, jwe: { algorithms: ['RSA-OAEP-256', 'RSA-OAEP'], encryptions: ['A256GCM', 'A128GCM'] } });
    expect(result.claims).toEqual(LAUNCH);
  });

  it('produces a nested JWT that jose compactDecrypt + compactVerify + jwtVerify accept', async () => {
    const sender = await rsaKeyPair('sender');
    const recipient = await rsaKeyPair('recipient');
    const token = await seal({ ...LAUNCH, aud: 'BANK01' }, { signingKey: sender.privateKey, kid: 'sig-1' }, { recipientKey: recipient.publicKey, kid: 'enc-1' }, { expiresIn: 600, offload: false });
    const decrypted = await jose.compactDecrypt(token, recipient.privateKey, {
      keyManagementAlgorithms: ['RSA-OAEP-256'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    expect(decrypted.protectedHeader).toEqual({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: 'enc-1' });
    const inner = new TextDecoder().decode(decrypted.plaintext);
    const verified = await jose.compactVerify(inner, sender.publicKey, { algorithms: ['PS256'] });
    expect(verified.protectedHeader).toEqual({ alg: 'PS256', kid: 'sig-1', typ: 'JWT' });
    const jwt = await jose.jwtVerify(inner, sender.publicKey, { algorithms: ['PS256'], audience: 'BANK01' });
    expect(jwt.payload).toMatchObject(LAUNCH);
  });
});

describe('interop with the openssl CLI', () => {
  let dir: string;
  const openssl = (...args: string[]): Buffer => execFileSync('openssl', args, { cwd: dir, stdio: ['pipe', 'pipe', 'pipe'] });
  const file = (name: string): string => readFileSync(join(dir, name), 'utf8');

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'jose-envelope-openssl-'));
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'sender.pem');
    openssl('pkey', '-in', 'sender.pem', '-pubout', '-out', 'sender.pub.pem');
    openssl('rsa', '-in', 'sender.pem', '-traditional', '-out', 'sender.pkcs1.pem');
    openssl('rsa', '-in', 'sender.pem', '-RSAPublicKey_out', '-out', 'sender.pkcs1.pub.pem');
    openssl('pkcs8', '-topk8', '-in', 'sender.pem', '-v2', 'aes-256-cbc', '-passout', 'pass:correct horse', '-out', 'sender.enc.pem');
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:3072', '-out', 'recipient.pem');
    openssl('req', '-x509', '-new', '-key', 'recipient.pem', '-subj', '/CN=BANK01 NPI Billers/O=Example Bank', '-days', '365', '-out', 'recipient.crt');
    openssl('genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', 'small.pem');
    openssl('req', '-x509', '-new', '-key', 'small.pem', '-subj', '/CN=small', '-days', '1', '-out', 'small.crt');
  });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports PKCS#8, PKCS#1, encrypted PKCS#8, SPKI, PKCS#1 public and X.509 PEM', () => {
    const pkcs8 = importPrivateKey(file('sender.pem'));
    expect(importPrivateKey(file('sender.pkcs1.pem')).export({ format: 'jwk' })).toEqual(pkcs8.export({ format: 'jwk' }));
    expect(importPrivateKey(file('sender.enc.pem'), { passphrase: 'correct horse' }).export({ format: 'jwk' })).toEqual(pkcs8.export({ format: 'jwk' }));
    const spki = importPublicKey(file('sender.pub.pem'));
    expect(importPublicKey(file('sender.pkcs1.pub.pem')).export({ format: 'jwk' })).toEqual(spki.export({ format: 'jwk' }));
    expect(importPublicKey(spki.export({ format: 'jwk' })).export({ format: 'jwk' })).toEqual(spki.export({ format: 'jwk' }));
    expect(importPublicKey(file('recipient.crt')).asymmetricKeyDetails?.modulusLength).toBe(3072);
  });

  it('refuses the 1024-bit openssl key and certificate, and a wrong passphrase', () => {
    expect(() => importPrivateKey(file('small.pem'))).toThrow(expect.objectContaining({ code: 'ERR_KEY_TOO_SMALL' }));
    expect(() => importPublicKey(file('small.crt'))).toThrow(expect.objectContaining({ code: 'ERR_KEY_TOO_SMALL' }));
    expect(() => importPrivateKey(file('sender.enc.pem'), { passphrase: 'wrong' })).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it('round-trips with openssl-made keys: signer PKCS#1, recipient certificate', async () => {
    const token = await seal(
      LAUNCH,
      { signingKey: importPrivateKey(file('sender.pkcs1.pem')), kid: 'sig-1' },
      { recipientKey: importPublicKey(file('recipient.crt')), kid: 'enc-1' },
      { offload: false },
    );
    const result = await open(token, optionsFor(importPrivateKey(file('recipient.pem')), importPublicKey(file('sender.pub.pem'))));
    expect(result.claims).toEqual(LAUNCH);
  });

  it('openssl pkeyutl unwraps the CEK of a sealed token (RSA-OAEP, SHA-256, MGF1-SHA-256)', async () => {
    const token = await seal(LAUNCH, { signingKey: importPrivateKey(file('sender.pem')), kid: 'sig-1' }, { recipientKey: importPublicKey(file('recipient.crt')), kid: 'enc-1' }, { offload: false });
    const [header, encryptedKey, iv, ciphertext, tag] = token.split('.');
    writeFileSync(join(dir, 'cek.enc'), Buffer.from(encryptedKey, 'base64url'));
    const cek = openssl('pkeyutl', '-decrypt', '-inkey', 'recipient.pem', '-in', 'cek.enc', '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256');
    expect(cek).toHaveLength(32);
    const gcm = createDecipheriv('aes-256-gcm', cek, Buffer.from(iv, 'base64url'));
    gcm.setAAD(Buffer.from(header));
    gcm.setAuthTag(Buffer.from(tag, 'base64url'));
    const jws = Buffer.concat([gcm.update(Buffer.from(ciphertext, 'base64url')), gcm.final()]).toString();
    expect(JSON.parse(Buffer.from(jws.split('.')[1], 'base64url').toString())).toEqual(LAUNCH);
  });

  it('opens a PS256 JWS signed by openssl dgst and a CEK wrapped by openssl pkeyutl', async () => {
    const signingInput = `${b64u(JSON.stringify({ alg: 'PS256', kid: 'sig-1', typ: 'JWT' }))}.${b64u(JSON.stringify(LAUNCH))}`;
    writeFileSync(join(dir, 'input.txt'), signingInput);
    const signature = openssl('dgst', '-sha256', '-sign', 'sender.pem', '-sigopt', 'rsa_padding_mode:pss', '-sigopt', 'rsa_pss_saltlen:32', '-sigopt', 'rsa_mgf1_md:sha256', 'input.txt');
    const jws = `${signingInput}.${b64u(signature)}`;
    const cek = randomBytes(32);
    writeFileSync(join(dir, 'cek.bin'), cek);
    const encryptedKey = openssl('pkeyutl', '-encrypt', '-certin', '-inkey', 'recipient.crt', '-in', 'cek.bin', '-pkeyopt', 'rsa_padding_mode:oaep', '-pkeyopt', 'rsa_oaep_md:sha256', '-pkeyopt', 'rsa_mgf1_md:sha256');
    const header = b64u(JSON.stringify({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: 'enc-1' }));
    const iv = randomBytes(12);
    const gcm = createCipheriv('aes-256-gcm', cek, iv);
    gcm.setAAD(Buffer.from(header));
    const ciphertext = Buffer.concat([gcm.update(jws), gcm.final()]);
    const jwe = [header, b64u(encryptedKey), b64u(iv), b64u(ciphertext), b64u(gcm.getAuthTag())].join('.');
    const result = await open(jwe, optionsFor(importPrivateKey(file('recipient.pem')), importPublicKey(file('sender.pub.pem'))));
    expect(result.claims).toEqual(LAUNCH);
  });
});
