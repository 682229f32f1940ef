/**
 * Negative corpus: every way a token or a key must be refused, each with the exact error code.
 * Tokens are built with node:crypto directly (fixtures/craft.ts) or with `seal`, then mutated.
 * The whole table runs twice: RSA private operations on the worker pool and in-process.
 */
import { generateKeyPairSync, createSecretKey, type KeyObject } from 'node:crypto';
import * as jose from 'jose';
import {
  EnvelopeError,
  InMemoryReplayStore,
  KeySet,
  PrivateKeyPool,
  importPrivateKey,
  importPublicKey,
  open,
  seal,
  type EnvelopeErrorCode,
  type KeyLookup,
  type OpenOptions,
} from './index';
import { b64u, flipBit, hs256, ps256, rawJwe, rawJws, rs256, withPart } from './fixtures/craft';
import { rsaKeyPair, type TestKeyPair } from './fixtures/test-keys';

// Values that must never appear in an error message.
const SECRET_SESSION = 'BANK01_SECRET-7f3e9a1c-session-value';
const NOW = 1_764_061_200; // 2025-11-25T09:00:00Z
const NOW_MS = NOW * 1000;
const CLAIMS = { participant_code: 'BANK01', session_id: SECRET_SESSION, channel: 'web', iat: NOW - 10, exp: NOW + 600, jti: 'jti-1' };

interface World {
  sender: TestKeyPair;
  otherSender: TestKeyPair;
  recipient: TestKeyPair;
  otherRecipient: TestKeyPair;
  small: TestKeyPair;
  ec: { publicKey: KeyObject; privateKey: KeyObject };
  options: (extra?: Partial<OpenOptions>) => OpenOptions;
  /** A valid token for `options()` with these claims (default CLAIMS). */
  token: (claims?: Record<string, unknown>, signerAlg?: 'PS256' | 'RS256' | 'PS512') => Promise<string>;
  /** A JWE for our recipient key around the given inner JWS text, with the default header plus `header`. */
  wrap: (inner: string, header?: Record<string, unknown>) => string;
  /** A JWS by the sender's key over `claims` with the default header plus `header`. */
  jws: (header?: Record<string, unknown>, claims?: Record<string, unknown>) => string;
}

const JWE_HEADER = { alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT', kid: 'enc-1' };
const JWS_HEADER = { alg: 'PS256', kid: 'sig-1', typ: 'JWT' };

interface Case {
  name: string;
  code: EnvelopeErrorCode;
  /** Either a token (and optional option overrides) for `open`, or an arbitrary action. */
  token?: (world: World) => Promise<string> | string;
  options?: (world: World) => Partial<OpenOptions>;
  run?: (world: World) => Promise<unknown> | unknown;
}

const lookupOf = (entry: { kid: string; key: KeyObject; use: 'sig' | 'enc' }): KeyLookup => ({ getKey: (kid) => (kid === entry.kid ? entry : undefined) });

const CASES: Case[] = [
  // --- compact serialisation and size ---------------------------------------------------------
  { name: 'not a string', code: 'ERR_JWE_INVALID', token: () => 42 as unknown as string },
  { name: 'empty string', code: 'ERR_JWE_INVALID', token: () => '' },
  { name: 'a bare JWS (3 parts)', code: 'ERR_JWE_INVALID', token: (w) => w.jws() },
  { name: '4 parts', code: 'ERR_JWE_INVALID', token: async (w) => (await w.token()).split('.').slice(0, 4).join('.') },
  { name: '6 parts', code: 'ERR_JWE_INVALID', token: async (w) => `${await w.token()}.AAAA` },
  { name: 'padding "=" in a segment', code: 'ERR_JWE_INVALID', token: async (w) => withPart(await w.token(), 2, (iv) => `${iv}==`) },
  { name: 'standard base64 "+" in a segment', code: 'ERR_JWE_INVALID', token: async (w) => withPart(await w.token(), 3, (ct) => `+${ct.slice(1)}`) },
  { name: 'line break inside a segment', code: 'ERR_JWE_INVALID', token: async (w) => withPart(await w.token(), 3, (ct) => `${ct.slice(0, 10)}\n${ct.slice(10)}`) },
  { name: 'non-canonical trailing bits in the tag', code: 'ERR_JWE_INVALID', token: async (w) => withPart(await w.token(), 4, (tag) => tag.slice(0, -1) + String.fromCharCode(tag.charCodeAt(tag.length - 1) + 1)) },
  { name: 'protected header is not JSON', code: 'ERR_JWE_INVALID', token: async (w) => withPart(await w.token(), 0, () => b64u('{"alg":')) },
  { name: 'protected header is a JSON array', code: 'ERR_JWE_INVALID', token: (w) => rawJwe('["RSA-OAEP-256"]', w.jws(), w.recipient.publicKey) },
  { name: 'protected header starts with a BOM', code: 'ERR_JWE_INVALID', token: (w) => rawJwe(`\uFEFF${JSON.stringify(JWE_HEADER)}`, w.jws(), w.recipient.publicKey) },
  { name: 'protected header is not UTF-8', code: 'ERR_JWE_INVALID', token: async (w) => withPart(await w.token(), 0, () => b64u(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))) },
  { name: 'JWE header without alg', code: 'ERR_JWE_INVALID', token: (w) => rawJwe({ enc: 'A256GCM', cty: 'JWT', kid: 'enc-1' }, w.jws(), w.recipient.publicKey) },
  { name: 'JWE header without enc', code: 'ERR_JWE_INVALID', token: (w) => rawJwe({ alg: 'RSA-OAEP-256', cty: 'JWT', kid: 'enc-1' }, w.jws(), w.recipient.publicKey) },
  { name: 'JWE kid is not a string', code: 'ERR_JWE_INVALID', token: (w) => w.wrap(w.jws(), { kid: 7 }) },
  { name: '128-bit IV', code: 'ERR_JWE_INVALID', token: (w) => rawJwe(JWE_HEADER, w.jws(), w.recipient.publicKey, { ivLength: 16 }) },
  { name: 'truncated tag (64 bits)', code: 'ERR_JWE_INVALID', token: async (w) => withPart(await w.token(), 4, (tag) => b64u(Buffer.from(tag, 'base64url').subarray(0, 8))) },
  { name: 'empty encrypted key', code: 'ERR_JWE_INVALID', token: async (w) => withPart(await w.token(), 1, () => '') },
  { name: 'wrong cty ("json")', code: 'ERR_JWE_INVALID', token: (w) => w.wrap(w.jws(), { cty: 'json' }) },
  { name: 'missing cty', code: 'ERR_JWE_INVALID', token: (w) => rawJwe({ alg: 'RSA-OAEP-256', enc: 'A256GCM', kid: 'enc-1' }, w.jws(), w.recipient.publicKey) },
  { name: 'oversized token (64 KiB + 1)', code: 'ERR_TOKEN_TOO_LARGE', token: () => 'a'.repeat(64 * 1024 + 1) },
  { name: 'oversized 8 MiB garbage', code: 'ERR_TOKEN_TOO_LARGE', token: () => 'x.'.repeat(4 * 1024 * 1024) },
  { name: 'valid token over a configured 1 KiB limit', code: 'ERR_TOKEN_TOO_LARGE', token: (w) => w.token(), options: () => ({ maxTokenBytes: 1024 }) },

  // --- JWE algorithms -------------------------------------------------------------------------
  { name: 'JWE alg RSA1_5', code: 'ERR_ALG_NOT_ALLOWED', token: (w) => w.wrap(w.jws(), { alg: 'RSA1_5' }) },
  {
    name: 'JWE alg RSA-OAEP (SHA-1) when not configured',
    code: 'ERR_ALG_NOT_ALLOWED',
    token: async (w) =>
      new jose.CompactEncrypt(new TextEncoder().encode(w.jws())).setProtectedHeader({ ...JWE_HEADER, alg: 'RSA-OAEP' }).encrypt(w.recipient.publicKey),
  },
  { name: 'JWE alg dir', code: 'ERR_ALG_NOT_ALLOWED', token: (w) => w.wrap(w.jws(), { alg: 'dir' }) },
  { name: 'JWE alg none', code: 'ERR_ALG_NOT_ALLOWED', token: (w) => w.wrap(w.jws(), { alg: 'none' }) },
  { name: 'JWE enc A128GCM when not configured', code: 'ERR_ALG_NOT_ALLOWED', token: (w) => rawJwe({ ...JWE_HEADER, enc: 'A128GCM' }, w.jws(), w.recipient.publicKey, { cipher: 'aes-128-gcm', cekLength: 16 }) },
  { name: 'JWE enc A256CBC-HS512', code: 'ERR_ALG_NOT_ALLOWED', token: (w) => w.wrap(w.jws(), { enc: 'A256CBC-HS512' }) },
  {
    name: 'JWE enc configured but not implemented (A256CBC-HS512)',
    code: 'ERR_ALG_NOT_ALLOWED',
    token: (w) => w.wrap(w.jws(), { enc: 'A256CBC-HS512' }),
    options: () => ({ jwe: { encryptions: ['A256GCM', 'A256CBC-HS512' as never] } }),
  },
  { name: 'JWE alg allowed but key pinned to another alg', code: 'ERR_ALG_NOT_ALLOWED', token: (w) => w.token(), options: (w) => ({ decryptionKeys: new KeySet([{ kid: 'enc-1', key: w.recipient.privateKey, use: 'enc', alg: 'RSA-OAEP-512' }]) }) },

  // --- JWS algorithms (algorithm confusion) ---------------------------------------------------
  { name: 'JWS alg none (unsigned)', code: 'ERR_ALG_NOT_ALLOWED', token: (w) => w.wrap(rawJws({ alg: 'none', kid: 'sig-1' }, CLAIMS, null)) },
  {
    name: 'JWS HS256 keyed with the sender public key PEM',
    code: 'ERR_ALG_NOT_ALLOWED',
    token: (w) => w.wrap(rawJws({ alg: 'HS256', kid: 'sig-1', typ: 'JWT' }, CLAIMS, hs256(w.sender.publicKey.export({ type: 'spki', format: 'pem' }) as string))),
  },
  { name: 'JWS HS512', code: 'ERR_ALG_NOT_ALLOWED', token: (w) => w.wrap(rawJws({ alg: 'HS512', kid: 'sig-1' }, CLAIMS, hs256('secret'))) },
  { name: 'JWS RS256 from a sender allowed PS256 only', code: 'ERR_ALG_NOT_ALLOWED', token: (w) => w.token(CLAIMS, 'RS256') },
  { name: 'JWS PS512 from a sender allowed PS256 only', code: 'ERR_ALG_NOT_ALLOWED', token: (w) => w.token(CLAIMS, 'PS512') },
  { name: 'JWS ES256', code: 'ERR_ALG_NOT_ALLOWED', token: async (w) => w.wrap(await new jose.SignJWT(CLAIMS).setProtectedHeader({ alg: 'ES256', kid: 'sig-1' }).sign(w.ec.privateKey)) },
  { name: 'JWS alg in lower case (ps256)', code: 'ERR_ALG_NOT_ALLOWED', token: (w) => w.wrap(rawJws({ alg: 'ps256', kid: 'sig-1' }, CLAIMS, ps256(w.sender.privateKey))) },
  {
    name: 'JWS RS256 allowed for the sender but the key is pinned to PS256',
    code: 'ERR_ALG_NOT_ALLOWED',
    token: (w) => w.token(CLAIMS, 'RS256'),
    options: (w) => ({ sender: { id: 'BANK01', keys: new KeySet([{ kid: 'sig-1', key: w.sender.publicKey, use: 'sig', alg: 'PS256' }]), algorithms: ['PS256', 'RS256'] } }),
  },
  { name: 'JWS header without alg', code: 'ERR_JWS_INVALID', token: (w) => w.wrap(rawJws({ kid: 'sig-1' }, CLAIMS, ps256(w.sender.privateKey))) },

  // --- forbidden header parameters ------------------------------------------------------------
  { name: 'JWE header jku', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws(), { jku: 'https://attacker.example/jwks.json' }) },
  { name: 'JWE header jwk', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws(), { jwk: w.recipient.publicKey.export({ format: 'jwk' }) }) },
  { name: 'JWE header x5u', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws(), { x5u: 'https://attacker.example/cert.pem' }) },
  { name: 'JWE header x5c', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws(), { x5c: ['MIIB'] }) },
  { name: 'JWE header crit', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws(), { crit: ['exp'], exp: NOW + 60 }) },
  { name: 'JWE header zip', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws(), { zip: 'DEF' }) },
  { name: 'JWS header jku', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws({ jku: 'https://attacker.example/jwks.json' })) },
  {
    name: 'JWS header jwk (embedded attacker key that signed it)',
    code: 'ERR_HEADER_NOT_ALLOWED',
    token: (w) => w.wrap(rawJws({ ...JWS_HEADER, jwk: w.otherSender.publicKey.export({ format: 'jwk' }) }, CLAIMS, ps256(w.otherSender.privateKey))),
  },
  { name: 'JWS header x5u', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws({ x5u: 'https://attacker.example/cert.pem' })) },
  { name: 'JWS header x5c', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws({ x5c: ['MIIB'] })) },
  { name: 'JWS header crit', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws({ crit: ['urn:example:unknown'], 'urn:example:unknown': true })) },
  { name: 'JWS header b64:false (RFC 7797)', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws({ b64: false, crit: ['b64'] })) },
  { name: 'JWS header zip', code: 'ERR_HEADER_NOT_ALLOWED', token: (w) => w.wrap(w.jws({ zip: 'DEF' })) },

  // --- tampering with the JWE -----------------------------------------------------------------
  { name: 'tampered ciphertext (first byte)', code: 'ERR_JWE_DECRYPTION_FAILED', token: async (w) => withPart(await w.token(), 3, (ct) => flipBit(ct, 0)) },
  { name: 'tampered ciphertext (last byte)', code: 'ERR_JWE_DECRYPTION_FAILED', token: async (w) => withPart(await w.token(), 3, (ct) => flipBit(ct, -1)) },
  { name: 'truncated ciphertext', code: 'ERR_JWE_DECRYPTION_FAILED', token: async (w) => withPart(await w.token(), 3, (ct) => b64u(Buffer.from(ct, 'base64url').subarray(0, 40))) },
  { name: 'tampered tag', code: 'ERR_JWE_DECRYPTION_FAILED', token: async (w) => withPart(await w.token(), 4, (tag) => flipBit(tag, 5)) },
  { name: 'tampered IV', code: 'ERR_JWE_DECRYPTION_FAILED', token: async (w) => withPart(await w.token(), 2, (iv) => flipBit(iv, 3)) },
  {
    name: 'tampered protected header (extra member, AAD changes)',
    code: 'ERR_JWE_DECRYPTION_FAILED',
    token: async (w) => withPart(await w.token(), 0, () => b64u(JSON.stringify({ ...JWE_HEADER, note: 'x' }))),
  },
  { name: 'tampered encrypted key (one bit)', code: 'ERR_JWE_DECRYPTION_FAILED', token: async (w) => withPart(await w.token(), 1, (key) => flipBit(key, 100)) },
  { name: 'encrypted key of the wrong length', code: 'ERR_JWE_DECRYPTION_FAILED', token: async (w) => withPart(await w.token(), 1, (key) => b64u(Buffer.from(key, 'base64url').subarray(1))) },
  {
    name: 'ciphertext and tag spliced from another token',
    code: 'ERR_JWE_DECRYPTION_FAILED',
    token: async (w) => {
      const [a, b] = [(await w.token()).split('.'), (await w.token({ ...CLAIMS, channel: 'mob' })).split('.')];
      return [a[0], a[1], a[2], b[3], b[4]].join('.');
    },
  },
  {
    name: 'CEK of the wrong length for A256GCM (16 bytes)',
    code: 'ERR_JWE_DECRYPTION_FAILED',
    token: (w) => rawJwe(JWE_HEADER, w.jws(), w.recipient.publicKey, { cekLength: 16, cipher: 'aes-128-gcm' }),
  },

  // --- recipients and kids --------------------------------------------------------------------
  { name: 'encrypted for another recipient (our kid)', code: 'ERR_JWE_DECRYPTION_FAILED', token: (w) => rawJwe(JWE_HEADER, w.jws(), w.otherRecipient.publicKey) },
  {
    name: 'swapped JWE kid (our other active key)',
    code: 'ERR_JWE_DECRYPTION_FAILED',
    token: (w) => w.wrap(w.jws(), { kid: 'enc-2' }),
    options: (w) => ({
      decryptionKeys: new KeySet([
        { kid: 'enc-1', key: w.recipient.privateKey, use: 'enc' },
        { kid: 'enc-2', key: w.otherRecipient.privateKey, use: 'enc' },
      ]),
    }),
  },
  { name: 'unknown JWE kid', code: 'ERR_UNKNOWN_KID', token: (w) => w.wrap(w.jws(), { kid: 'enc-unknown' }) },
  {
    name: 'no JWE kid while two keys are active',
    code: 'ERR_UNKNOWN_KID',
    token: (w) => rawJwe({ alg: 'RSA-OAEP-256', enc: 'A256GCM', cty: 'JWT' }, w.jws(), w.recipient.publicKey),
    options: (w) => ({
      decryptionKeys: new KeySet([
        { kid: 'enc-1', key: w.recipient.privateKey, use: 'enc' },
        { kid: 'enc-2', key: w.otherRecipient.privateKey, use: 'enc' },
      ]),
    }),
  },
  { name: 'JWE kid names a signing key', code: 'ERR_UNKNOWN_KID', token: (w) => w.wrap(w.jws(), { kid: 'enc-1' }), options: (w) => ({ decryptionKeys: new KeySet([{ kid: 'enc-1', key: w.recipient.privateKey, use: 'sig' }]) }) },
  { name: 'unknown JWS kid', code: 'ERR_UNKNOWN_KID', token: (w) => w.wrap(w.jws({ kid: 'sig-unknown' })) },
  {
    name: 'swapped JWS kid (another key of the same sender)',
    code: 'ERR_JWS_SIGNATURE_INVALID',
    token: (w) => w.wrap(w.jws({ kid: 'sig-2' })),
    options: (w) => ({
      sender: {
        id: 'BANK01',
        keys: new KeySet([
          { kid: 'sig-1', key: w.sender.publicKey, use: 'sig' },
          { kid: 'sig-2', key: w.otherSender.publicKey, use: 'sig' },
        ]),
      },
    }),
  },
  {
    name: 'signed by another participant under its own kid, claiming to be BANK01',
    code: 'ERR_UNKNOWN_KID',
    token: (w) => w.wrap(rawJws({ ...JWS_HEADER, kid: 'wallet-sig-1' }, CLAIMS, ps256(w.otherSender.privateKey))),
  },
  { name: 'signed by an attacker key reusing the sender kid', code: 'ERR_JWS_SIGNATURE_INVALID', token: (w) => w.wrap(rawJws(JWS_HEADER, CLAIMS, ps256(w.otherSender.privateKey))) },
  { name: 'unknown sender (resolver finds no participant)', code: 'ERR_UNKNOWN_SENDER', token: (w) => w.token({ ...CLAIMS, participant_code: 'NOBODY' }) },

  // --- tampering with the JWS -----------------------------------------------------------------
  { name: 'tampered JWS signature', code: 'ERR_JWS_SIGNATURE_INVALID', token: (w) => w.wrap(withPart(w.jws(), 2, (sig) => flipBit(sig, 10))) },
  {
    name: 'tampered JWS payload under the original signature',
    code: 'ERR_JWS_SIGNATURE_INVALID',
    token: (w) => w.wrap(withPart(w.jws(), 1, () => b64u(JSON.stringify({ ...CLAIMS, channel: 'mob' })))),
  },
  { name: 'tampered JWS header under the original signature', code: 'ERR_JWS_SIGNATURE_INVALID', token: (w) => w.wrap(withPart(w.jws(), 0, () => b64u(JSON.stringify({ ...JWS_HEADER, typ: 'jwt' })))) },
  { name: 'truncated JWS signature', code: 'ERR_JWS_SIGNATURE_INVALID', token: (w) => w.wrap(withPart(w.jws(), 2, (sig) => b64u(Buffer.from(sig, 'base64url').subarray(0, 255)))) },
  { name: 'empty JWS signature', code: 'ERR_JWS_SIGNATURE_INVALID', token: (w) => w.wrap(withPart(w.jws(), 2, () => '')) },
  {
    name: 'RS256 signature under a PS256 header',
    code: 'ERR_JWS_SIGNATURE_INVALID',
    token: (w) => w.wrap(rawJws(JWS_HEADER, CLAIMS, rs256(w.sender.privateKey))),
  },
  { name: 'PSS signature with a 20-byte salt (not the hash length)', code: 'ERR_JWS_SIGNATURE_INVALID', token: (w) => w.wrap(rawJws(JWS_HEADER, CLAIMS, ps256(w.sender.privateKey, 20))) },
  { name: 'inner content is not a JWS (plain JSON)', code: 'ERR_JWS_INVALID', token: (w) => w.wrap(JSON.stringify(CLAIMS)) },
  { name: 'inner JWS with 5 parts (JWE inside JWE)', code: 'ERR_JWS_INVALID', token: async (w) => w.wrap(await w.token()) },
  { name: 'inner JWS header is not JSON', code: 'ERR_JWS_INVALID', token: (w) => w.wrap(withPart(w.jws(), 0, () => b64u('not json'))) },
  { name: 'JWT payload is a JSON array', code: 'ERR_JWS_INVALID', token: (w) => w.wrap(rawJws(JWS_HEADER, '[1,2]', ps256(w.sender.privateKey))) },
  { name: 'JWT payload is not JSON', code: 'ERR_JWS_INVALID', token: (w) => w.wrap(rawJws(JWS_HEADER, 'hello', ps256(w.sender.privateKey))) },
  { name: 'inner JWS has invalid base64url', code: 'ERR_JWS_INVALID', token: (w) => w.wrap(withPart(w.jws(), 1, (payload) => `${payload}=`)) },

  // --- key policy -----------------------------------------------------------------------------
  { name: 'import 1024-bit PKCS#8 private key', code: 'ERR_KEY_TOO_SMALL', run: (w) => importPrivateKey(w.small.privateKey.export({ type: 'pkcs8', format: 'pem' })) },
  { name: 'import 1024-bit PKCS#1 private key', code: 'ERR_KEY_TOO_SMALL', run: (w) => importPrivateKey(w.small.privateKey.export({ type: 'pkcs1', format: 'pem' })) },
  { name: 'import 1024-bit SPKI public key', code: 'ERR_KEY_TOO_SMALL', run: (w) => importPublicKey(w.small.publicKey.export({ type: 'spki', format: 'pem' })) },
  { name: 'import 1024-bit public JWK', code: 'ERR_KEY_TOO_SMALL', run: (w) => importPublicKey(w.small.publicKey.export({ format: 'jwk' })) },
  { name: 'key set with a 1024-bit key', code: 'ERR_KEY_TOO_SMALL', run: (w) => new KeySet([{ kid: 'k', key: w.small.publicKey, use: 'sig' }]) },
  { name: 'seal signed with a 1024-bit key', code: 'ERR_KEY_TOO_SMALL', run: (w) => seal(CLAIMS, { signingKey: w.small.privateKey, kid: 's' }, { recipientKey: w.recipient.publicKey, kid: 'r' }) },
  { name: 'seal for a 1024-bit recipient key', code: 'ERR_KEY_TOO_SMALL', run: (w) => seal(CLAIMS, { signingKey: w.sender.privateKey, kid: 's' }, { recipientKey: w.small.publicKey, kid: 'r' }) },
  {
    name: 'open with a 1024-bit decryption key (custom lookup)',
    code: 'ERR_KEY_TOO_SMALL',
    token: (w) => rawJwe(JWE_HEADER, w.jws(), w.small.publicKey),
    options: (w) => ({ decryptionKeys: lookupOf({ kid: 'enc-1', key: w.small.privateKey, use: 'enc' }) }),
  },
  {
    name: 'open a token signed by a 1024-bit sender key (custom lookup)',
    code: 'ERR_KEY_TOO_SMALL',
    token: (w) => w.wrap(rawJws(JWS_HEADER, CLAIMS, ps256(w.small.privateKey))),
    options: (w) => ({ sender: { id: 'BANK01', keys: lookupOf({ kid: 'sig-1', key: w.small.publicKey, use: 'sig' }) } }),
  },
  { name: 'import an EC key', code: 'ERR_KEY_INVALID', run: (w) => importPublicKey(w.ec.publicKey.export({ type: 'spki', format: 'pem' })) },
  { name: 'import a private key where a public key is expected', code: 'ERR_KEY_INVALID', run: (w) => importPublicKey(w.sender.privateKey.export({ type: 'pkcs8', format: 'pem' })) },
  { name: 'import garbage PEM', code: 'ERR_KEY_INVALID', run: () => importPrivateKey('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n') },
  { name: 'seal with an HMAC secret as the signing key', code: 'ERR_KEY_INVALID', run: (w) => seal(CLAIMS, { signingKey: createSecretKey(Buffer.alloc(32, 1)), kid: 's' }, { recipientKey: w.recipient.publicKey, kid: 'r' }) },
  { name: 'seal with a public key as the signing key', code: 'ERR_KEY_INVALID', run: (w) => seal(CLAIMS, { signingKey: w.sender.publicKey, kid: 's' }, { recipientKey: w.recipient.publicKey, kid: 'r' }) },
  { name: 'open with an EC decryption key (custom lookup)', code: 'ERR_KEY_INVALID', token: (w) => w.token(), options: (w) => ({ decryptionKeys: lookupOf({ kid: 'enc-1', key: w.ec.privateKey, use: 'enc' }) }) },

  { name: 'seal with alg HS256', code: 'ERR_ALG_NOT_ALLOWED', run: (w) => seal(CLAIMS, { signingKey: w.sender.privateKey, kid: 's', alg: 'HS256' as never }, { recipientKey: w.recipient.publicKey, kid: 'r' }) },
  { name: 'seal with JWE alg RSA1_5', code: 'ERR_ALG_NOT_ALLOWED', run: (w) => seal(CLAIMS, { signingKey: w.sender.privateKey, kid: 's' }, { recipientKey: w.recipient.publicKey, kid: 'r', alg: 'RSA1_5' as never }) },
  { name: 'seal without a signing kid', code: 'ERR_KEY_INVALID', run: (w) => seal(CLAIMS, { signingKey: w.sender.privateKey, kid: '' }, { recipientKey: w.recipient.publicKey, kid: 'r' }) },
  { name: 'seal with a negative expiresIn', code: 'ERR_CLAIM_INVALID', run: (w) => seal(CLAIMS, { signingKey: w.sender.privateKey, kid: 's' }, { recipientKey: w.recipient.publicKey, kid: 'r' }, { expiresIn: -5 }) },
  { name: 'seal claims that are not an object', code: 'ERR_CLAIM_INVALID', run: (w) => seal('claims' as never, { signingKey: w.sender.privateKey, kid: 's' }, { recipientKey: w.recipient.publicKey, kid: 'r' }) },
  { name: 'seal claims that are not JSON-serialisable', code: 'ERR_CLAIM_INVALID', run: (w) => seal({ amount: 10n }, { signingKey: w.sender.privateKey, kid: 's' }, { recipientKey: w.recipient.publicKey, kid: 'r' }) },

  // --- claims ---------------------------------------------------------------------------------
  { name: 'expired', code: 'ERR_TOKEN_EXPIRED', token: (w) => w.token({ ...CLAIMS, exp: NOW - 31 }) },
  { name: 'not yet valid (nbf)', code: 'ERR_TOKEN_NOT_YET_VALID', token: (w) => w.token({ ...CLAIMS, nbf: NOW + 31 }) },
  { name: 'issued in the future (iat)', code: 'ERR_TOKEN_NOT_YET_VALID', token: (w) => w.token({ ...CLAIMS, iat: NOW + 31 }) },
  { name: 'too old (iat beyond max age)', code: 'ERR_TOKEN_TOO_OLD', token: (w) => w.token({ ...CLAIMS, iat: NOW - 400 }), options: () => ({ maxTokenAgeSeconds: 300 }) },
  { name: 'max age set, no iat', code: 'ERR_CLAIM_MISSING', token: (w) => w.token({ participant_code: 'BANK01', session_id: SECRET_SESSION, channel: 'web' }), options: () => ({ maxTokenAgeSeconds: 300 }) },
  { name: 'exp is a string', code: 'ERR_CLAIM_INVALID', token: (w) => w.token({ ...CLAIMS, exp: String(NOW + 600) }) },
  { name: 'iat is null', code: 'ERR_CLAIM_INVALID', token: (w) => w.token({ ...CLAIMS, iat: null }) },
  { name: 'iss is a number', code: 'ERR_CLAIM_INVALID', token: (w) => w.token({ ...CLAIMS, iss: 1 }) },
  { name: 'required claim missing (channel)', code: 'ERR_CLAIM_MISSING', token: (w) => w.token({ participant_code: 'BANK01', session_id: SECRET_SESSION }) },
  { name: 'required claim null (session_id)', code: 'ERR_CLAIM_MISSING', token: (w) => w.token({ ...CLAIMS, session_id: null }) },
  { name: 'audience mismatch', code: 'ERR_AUDIENCE_MISMATCH', token: (w) => w.token({ ...CLAIMS, aud: 'someone-else' }), options: () => ({ audience: 'npi-billers' }) },
  { name: 'aud present, no audience configured', code: 'ERR_AUDIENCE_MISMATCH', token: (w) => w.token({ ...CLAIMS, aud: 'npi-billers' }) },
  { name: 'audience configured, aud missing', code: 'ERR_CLAIM_MISSING', token: (w) => w.token(), options: () => ({ audience: 'npi-billers' }) },
  { name: 'aud is a number', code: 'ERR_CLAIM_INVALID', token: (w) => w.token({ ...CLAIMS, aud: 5 }), options: () => ({ audience: 'npi-billers' }) },
  { name: 'aud is an empty array', code: 'ERR_CLAIM_INVALID', token: (w) => w.token({ ...CLAIMS, aud: [] }), options: () => ({ audience: 'npi-billers' }) },
  {
    name: 'replayed jti',
    code: 'ERR_TOKEN_REPLAYED',
    token: (w) => w.token(),
    options: () => {
      const store = new InMemoryReplayStore({ now: () => NOW_MS });
      return { replay: { store: { markUsed: async (key, until) => (await store.markUsed(key, until)) && store.markUsed(key, until) } } };
    },
  },
  {
    name: 'replayed session_id',
    code: 'ERR_TOKEN_REPLAYED',
    token: (w) => w.token(),
    options: () => ({ replay: { store: { markUsed: () => Promise.resolve(false) }, claim: 'session_id' } }),
  },
  { name: 'replay claim missing (jti)', code: 'ERR_CLAIM_MISSING', token: (w) => w.token({ participant_code: 'BANK01', session_id: SECRET_SESSION, channel: 'web' }), options: () => ({ replay: { store: new InMemoryReplayStore() } }) },
  { name: 'replay claim not a string', code: 'ERR_CLAIM_INVALID', token: (w) => w.token({ ...CLAIMS, jti: 12 }), options: () => ({ replay: { store: new InMemoryReplayStore() } }) },
];

describe.each([
  ['worker pool', true],
  ['in-process', false],
] as const)('negative corpus (%s)', (_label, useWorkers) => {
  let world: World;
  let pool: PrivateKeyPool | undefined;

  beforeAll(async () => {
    pool = useWorkers ? new PrivateKeyPool({ size: 2 }) : undefined;
    const offload = pool ?? false;
    const [sender, otherSender, recipient, otherRecipient, small] = await Promise.all([
      rsaKeyPair('sender'),
      rsaKeyPair('other-sender'),
      rsaKeyPair('recipient'),
      rsaKeyPair('other-recipient'),
      rsaKeyPair('small', 1024),
    ]);
    const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const senders = new Map([
      ['BANK01', { id: 'BANK01', keys: new KeySet([{ kid: 'sig-1', key: sender.publicKey, use: 'sig' }]) }],
      ['WALLET02', { id: 'WALLET02', keys: new KeySet([{ kid: 'wallet-sig-1', key: otherSender.publicKey, use: 'sig' }]) }],
    ]);
    const jws = (header: Record<string, unknown> = {}, claims: Record<string, unknown> = CLAIMS): string =>
      rawJws({ ...JWS_HEADER, ...header }, claims, ps256(sender.privateKey));
    world = {
      sender,
      otherSender,
      recipient,
      otherRecipient,
      small,
      ec,
      jws,
      wrap: (inner, header = {}) => rawJwe({ ...JWE_HEADER, ...header }, inner, recipient.publicKey),
      token: (claims = CLAIMS, alg = 'PS256') =>
        seal(claims, { signingKey: sender.privateKey, kid: 'sig-1', alg }, { recipientKey: recipient.publicKey, kid: 'enc-1' }, { offload }),
      options: (extra = {}) => ({
        decryptionKeys: new KeySet([{ kid: 'enc-1', key: recipient.privateKey, use: 'enc' }]),
        sender: ({ claims }) => senders.get(String(claims.participant_code)),
        requiredClaims: ['participant_code', 'session_id', 'channel'],
        now: () => NOW_MS,
        offload,
        ...extra,
      }),
    };
  });

  afterAll(async () => {
    await pool?.close();
  });

  it('control: the unmodified token opens (so every failure below is caused by its mutation)', async () => {
    const result = await open(await world.token(), world.options());
    expect(result.claims).toEqual(CLAIMS);
    // The crafted builders alone also produce an acceptable token.
    await expect(open(world.wrap(world.jws()), world.options())).resolves.toMatchObject({ sender: { id: 'BANK01', kid: 'sig-1' } });
  });

  it(`has at least 60 cases (${CASES.length})`, () => {
    expect(CASES.length).toBeGreaterThanOrEqual(60);
    expect(new Set(CASES.map((testCase) => testCase.name)).size).toBe(CASES.length);
  });

  it.each(CASES.map((testCase) => [testCase.name, testCase] as const))('%s', async (_name, testCase) => {
    const attempt = testCase.run
      ? async () => testCase.run!(world)
      : async () => open(await testCase.token!(world), world.options(testCase.options?.(world)));
    const error = await attempt().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(EnvelopeError);
    expect((error as EnvelopeError).code).toBe(testCase.code);
    // Messages never carry plaintext or key material.
    const message = (error as Error).message;
    expect(message).not.toContain(SECRET_SESSION);
    expect(message).not.toContain((world.sender.publicKey.export({ format: 'jwk' }).n ?? '').slice(0, 16));
    expect(message).not.toMatch(/-----BEGIN/);
  });
});
