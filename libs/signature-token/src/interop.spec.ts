/**
 * Interoperability with the tools members actually use: the OpenSSL CLI makes the PFX files,
 * keys and signatures here (genpkey, req -x509, pkcs12 -export with and without -legacy,
 * dgst -sha256 -sign/-verify), and plain node:crypto cross-checks. Requires `openssl` on PATH.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, sign as cryptoSign, verify as cryptoVerify, X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { canonicalAmount } from './amount';
import { loadSigner } from './sign';
import { createVerifier } from './verify';
import { buildBillersConfirmTokenString } from './token-strings/billers-confirm';
import { buildNonRealTimeTokenString } from './token-strings/non-real-time';
import { buildRealTimeTokenString } from './token-strings/real-time';
import { buildResponseTokenString } from './token-strings/response';
import { generateMemberCredentials } from './testing/generate-credentials';
import { aBillersConfirmRequest, aNonRealTimeRequest, aRealTimeRequest, aResponse, SAMPLE_USER_ID } from './testing/sample-requests';
import {
  billersConfirmFieldPaths,
  fieldAt,
  isAmountPath,
  nonRealTimeFieldPaths,
  realTimeFieldPaths,
  responseFieldPaths,
  withField,
} from './testing/token-fields';
import { codeOf } from './testing/expect-code';

const PASSPHRASE = 'Member-PFX-passphrase-1';
const NON_ASCII_PASSPHRASE = 'पासवर्ड-pässwörd';

let dir: string;
const file = (name: string) => path.join(dir, name);

/** Runs openssl with the passphrase in the environment (never on a command line). */
function openssl(args: string[], passphrase = PASSPHRASE): Buffer {
  return execFileSync('openssl', args, { cwd: dir, env: { ...process.env, PFX_PASS: passphrase }, stdio: ['ignore', 'pipe', 'pipe'] });
}

function makeCertificate(keyFile: string, certificateFile: string, commonName: string): void {
  openssl(['req', '-x509', '-new', '-key', keyFile, '-subj', `/CN=${commonName}`, '-days', '30', '-sha256', '-out', certificateFile]);
}

function exportPfx(keyFile: string, certificateFile: string, pfxFile: string, legacy: boolean, passphrase = PASSPHRASE): Buffer {
  openssl(['pkcs12', '-export', ...(legacy ? ['-legacy'] : []), '-inkey', keyFile, '-in', certificateFile, '-passout', 'env:PFX_PASS', '-out', pfxFile], passphrase);
  return fs.readFileSync(file(pfxFile));
}

/** `openssl dgst -sha256 -sign key.pem` over the token string, base64-encoded as members send it. */
function opensslSign(tokenString: string, keyFile = 'member.key'): string {
  fs.writeFileSync(file('message.txt'), tokenString, 'utf8');
  openssl(['dgst', '-sha256', '-sign', keyFile, '-out', 'signature.bin', 'message.txt']);
  return fs.readFileSync(file('signature.bin')).toString('base64');
}

/** `openssl dgst -sha256 -verify pub.pem -signature sig.bin`: true for "Verified OK". */
function opensslVerifies(tokenString: string, token: string, publicKeyFile = 'member.pub'): boolean {
  fs.writeFileSync(file('message.txt'), tokenString, 'utf8');
  fs.writeFileSync(file('signature.bin'), Buffer.from(token, 'base64'));
  try {
    return openssl(['dgst', '-sha256', '-verify', publicKeyFile, '-signature', 'signature.bin', 'message.txt']).toString().includes('Verified OK');
  } catch {
    return false; // openssl exits 1 with "Verification failure"
  }
}

let memberCertificatePem: string;
let defaultPfx: Buffer;
let legacyPfx: Buffer;
const verifier = createVerifier(); // the openssl certificates are valid from now for 30 days

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'signature-token-interop-'));
  openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'member.key']);
  openssl(['pkey', '-in', 'member.key', '-pubout', '-out', 'member.pub']);
  makeCertificate('member.key', 'member.crt', 'NPI-MEMBER-1');
  memberCertificatePem = fs.readFileSync(file('member.crt'), 'utf8');
  defaultPfx = exportPfx('member.key', 'member.crt', 'member.pfx', false);
  legacyPfx = exportPfx('member.key', 'member.crt', 'member-legacy.pfx', true);
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe('PFX files made by openssl pkcs12 -export', () => {
  it('the default one is PBES2/AES-256 and the -legacy one is not (so both formats are covered)', () => {
    // `-info` reports the algorithms on stderr.
    const describeFile = (name: string) =>
      spawnSync('openssl', ['pkcs12', '-in', name, '-passin', 'env:PFX_PASS', '-info', '-noout'], {
        cwd: dir,
        env: { ...process.env, PFX_PASS: PASSPHRASE },
        encoding: 'utf8',
      }).stderr;
    expect(describeFile('member.pfx')).toMatch(/PBES2.*AES-256-CBC/);
    expect(describeFile('member-legacy.pfx')).toMatch(/pbeWithSHA1And/);
    expect(describeFile('member-legacy.pfx')).not.toMatch(/PBES2/);
  });

  it.each([
    ['default (PBES2, AES-256-CBC, SHA-256 MAC)', () => defaultPfx],
    ['-legacy (PKCS#12 PBE, SHA-1 MAC)', () => legacyPfx],
  ])('%s: loads, and the signature is byte for byte what openssl dgst -sign makes', (_, pfx) => {
    const signer = loadSigner(pfx(), PASSPHRASE);
    expect(signer.certificate.fingerprint256).toBe(new X509Certificate(memberCertificatePem).fingerprint256);
    const tokenString = buildRealTimeTokenString(aRealTimeRequest(), SAMPLE_USER_ID);
    expect(signer.sign(tokenString)).toBe(opensslSign(tokenString));
  });

  it.each([
    ['default', false],
    ['-legacy', true],
  ])('%s with a non-ASCII passphrase loads', (_, legacy) => {
    const pfx = exportPfx('member.key', 'member.crt', `member-utf8-${String(legacy)}.pfx`, legacy, NON_ASCII_PASSPHRASE);
    expect(loadSigner(pfx, NON_ASCII_PASSPHRASE).certificate.fingerprint256).toBe(new X509Certificate(memberCertificatePem).fingerprint256);
    expect(codeOf(() => loadSigner(pfx, 'पासवर्ड-passwort'))).toBe('ERR_PFX_PASSPHRASE');
  });

  it.each([
    ['default', () => defaultPfx],
    ['-legacy', () => legacyPfx],
  ])('%s with a wrong passphrase is ERR_PFX_PASSPHRASE', (_, pfx) => {
    expect(codeOf(() => loadSigner(pfx(), `${PASSPHRASE}x`))).toBe('ERR_PFX_PASSPHRASE');
  });

  it('a 1024-bit key is ERR_KEY_TOO_SMALL, as a PFX and as a certificate', () => {
    openssl(['genpkey', '-algorithm', 'RSA', '-pkeyopt', 'rsa_keygen_bits:1024', '-out', 'small.key']);
    makeCertificate('small.key', 'small.crt', 'SMALL');
    const pfx = exportPfx('small.key', 'small.crt', 'small.pfx', false);
    expect(codeOf(() => loadSigner(pfx, PASSPHRASE))).toBe('ERR_KEY_TOO_SMALL');
    const token = opensslSign('x', 'small.key');
    expect(codeOf(() => verifier.verify('x', token, fs.readFileSync(file('small.crt'), 'utf8')))).toBe('ERR_KEY_TOO_SMALL');
  });

  it('an EC key is refused: ERR_PFX_INVALID as a PFX, ERR_CERTIFICATE_INVALID as a certificate', () => {
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ec.key']);
    makeCertificate('ec.key', 'ec.crt', 'EC');
    const pfx = exportPfx('ec.key', 'ec.crt', 'ec.pfx', false);
    expect(codeOf(() => loadSigner(pfx, PASSPHRASE))).toBe('ERR_PFX_INVALID');
    const token = opensslSign('x', 'ec.key');
    expect(codeOf(() => verifier.verify('x', token, fs.readFileSync(file('ec.crt'), 'utf8')))).toBe('ERR_CERTIFICATE_INVALID');
  });

  it('an RSA-PSS key is refused (SHA256withRSA is PKCS#1 v1.5)', () => {
    openssl(['genpkey', '-algorithm', 'RSA-PSS', '-pkeyopt', 'rsa_keygen_bits:2048', '-out', 'pss.key']);
    makeCertificate('pss.key', 'pss.crt', 'PSS');
    expect(codeOf(() => verifier.verify('x', 'AAAA', fs.readFileSync(file('pss.crt'), 'utf8')))).toBe('ERR_CERTIFICATE_INVALID');
  });
});

describe('signatures across openssl, node:crypto and this library', () => {
  const messages: [string, () => string][] = [
    ['real time', () => buildRealTimeTokenString(aRealTimeRequest(), SAMPLE_USER_ID)],
    ['non-real time (10,000 transactions)', () => buildNonRealTimeTokenString(aNonRealTimeRequest(10_000), SAMPLE_USER_ID)],
    ['Billers confirm (non-ASCII endToEndId)', () =>
      buildBillersConfirmTokenString(withField(aBillersConfirmRequest(), 'cipsTransactionDetail.endToEndId', 'ट्राफिक जरिवाना'), SAMPLE_USER_ID)],
    ['response', () => buildResponseTokenString(aResponse())],
  ];

  it.each(messages)('%s: openssl dgst -sha256 -sign verifies here, with the certificate as PEM and as DER', (_, message) => {
    const tokenString = message();
    const token = opensslSign(tokenString);
    expect(() => verifier.verify(tokenString, token, memberCertificatePem)).not.toThrow();
    openssl(['x509', '-in', 'member.crt', '-outform', 'DER', '-out', 'member.der']);
    expect(() => verifier.verify(tokenString, token, fs.readFileSync(file('member.der')))).not.toThrow();
  });

  it.each(messages)('%s: this library\'s signature passes openssl dgst -sha256 -verify', (_, message) => {
    const tokenString = message();
    const token = loadSigner(defaultPfx, PASSPHRASE).sign(tokenString);
    expect(opensslVerifies(tokenString, token)).toBe(true);
    expect(opensslVerifies(`${tokenString}0`, token)).toBe(false);
  });

  it.each(messages)('%s: plain node:crypto sign verifies here, and this library\'s signature verifies in node:crypto', (_, message) => {
    const tokenString = message();
    const privateKey = createPrivateKey(fs.readFileSync(file('member.key')));
    const nodeToken = cryptoSign('sha256', Buffer.from(tokenString, 'utf8'), privateKey).toString('base64');
    expect(() => verifier.verify(tokenString, nodeToken, memberCertificatePem)).not.toThrow();
    const libraryToken = loadSigner(legacyPfx, PASSPHRASE).sign(tokenString);
    const publicKey = new X509Certificate(memberCertificatePem).publicKey;
    expect(cryptoVerify('sha256', Buffer.from(tokenString, 'utf8'), publicKey, Buffer.from(libraryToken, 'base64'))).toBe(true);
  });

  it('the PFX from generateMemberCredentials opens in openssl, and openssl verifies its signatures', () => {
    const credentials = generateMemberCredentials({ commonName: 'DEMO-MEMBER', passphrase: PASSPHRASE, days: 7 });
    fs.writeFileSync(file('demo.pfx'), credentials.pfx);
    const extracted = openssl(['pkcs12', '-in', 'demo.pfx', '-passin', 'env:PFX_PASS', '-nodes']).toString();
    expect(extracted).toContain('-----BEGIN PRIVATE KEY-----');
    expect(extracted).toContain('subject=CN = DEMO-MEMBER');
    fs.writeFileSync(file('demo.crt'), credentials.certificatePem);
    openssl(['x509', '-in', 'demo.crt', '-pubkey', '-noout', '-out', 'demo.pub']);
    const tokenString = buildRealTimeTokenString(aRealTimeRequest(), SAMPLE_USER_ID);
    const token = loadSigner(credentials.pfx, PASSPHRASE).sign(tokenString);
    expect(opensslVerifies(tokenString, token, 'demo.pub')).toBe(true);
  });
});

/** A different value for the field at `path`: the next cent for amounts, one character changed otherwise. */
function tampered(value: unknown, path: string): unknown {
  if (isAmountPath(path)) {
    const canonical = canonicalAmount(value);
    const last = Number(canonical[canonical.length - 1]);
    return `${canonical.slice(0, -1)}${(last + 1) % 10}`;
  }
  if (typeof value === 'number') return value + 1;
  const text = String(value);
  return `${text.slice(0, -1)}${text.endsWith('X') ? 'Y' : 'X'}`;
}

describe('tampering any single field of any message fails verification (openssl-made token)', () => {
  interface TamperCase {
    name: string;
    body: () => unknown;
    build: (body: unknown, userId: string) => string;
    paths: string[];
  }
  const cases: TamperCase[] = [
    { name: 'real time', body: aRealTimeRequest, build: (body, userId) => buildRealTimeTokenString(body as never, userId), paths: realTimeFieldPaths() },
    {
      name: 'non-real time, 3 transactions',
      body: () => aNonRealTimeRequest(3),
      build: (body, userId) => buildNonRealTimeTokenString(body as never, userId),
      paths: nonRealTimeFieldPaths(3),
    },
    { name: 'Billers confirm', body: aBillersConfirmRequest, build: (body, userId) => buildBillersConfirmTokenString(body as never, userId), paths: billersConfirmFieldPaths() },
    { name: 'response', body: aResponse, build: (body) => buildResponseTokenString(body as never), paths: responseFieldPaths(1) },
  ];

  describe.each(cases)('$name', ({ body, build, paths }) => {
    let original: string;
    let token: string;

    beforeAll(() => {
      original = build(body(), SAMPLE_USER_ID);
      token = opensslSign(original);
    });

    it('the untampered message verifies (control)', () => {
      expect(() => verifier.verify(original, token, memberCertificatePem)).not.toThrow();
    });

    it.each(paths)('%s', (fieldPath) => {
      const changed =
        fieldPath === 'userId'
          ? build(body(), tampered(SAMPLE_USER_ID, fieldPath) as string)
          : build(withField(body(), fieldPath, tampered(fieldAt(body(), fieldPath), fieldPath)), SAMPLE_USER_ID);
      expect(changed).not.toBe(original);
      expect(codeOf(() => verifier.verify(changed, token, memberCertificatePem))).toBe('ERR_SIGNATURE_INVALID');
    });

    it('swapping two neighbouring fields of the string fails too', () => {
      const fields = original.split(',');
      for (let index = 0; index + 1 < fields.length; index++) {
        if (fields[index] === fields[index + 1]) continue;
        const swapped = [...fields];
        [swapped[index], swapped[index + 1]] = [swapped[index + 1], swapped[index]];
        expect(codeOf(() => verifier.verify(swapped.join(','), token, memberCertificatePem))).toBe('ERR_SIGNATURE_INVALID');
      }
    });
  });
});
