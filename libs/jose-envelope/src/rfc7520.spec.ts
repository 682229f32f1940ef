/**
 * RFC 7520 vectors (fixtures/rfc7520.ts) against the library's JWS/JWE internals. Section 4.1
 * (RS256) is deterministic and is reproduced byte for byte; 4.2 (PS384) is randomized and is only
 * verified; 5.2 is RSA-OAEP (SHA-1) + A256GCM, decrypted with the RFC's own key. The RFC payloads
 * are not JWTs, so `seal`/`open` themselves cannot take them.
 */
import { constants, privateDecrypt } from 'node:crypto';
import { importPrivateKey, importPublicKey } from './keys/import';
import { inProcessOperations } from './lib/private-operations';
import { decryptCompactJwe, parseCompactJwe } from './lib/jwe';
import { parseCompactJws, signCompactJws, verifyJwsSignature } from './lib/jws';
import {
  RFC7520_4_1_COMPACT,
  RFC7520_4_2_COMPACT,
  RFC7520_5_2_CEK,
  RFC7520_5_2_COMPACT,
  RFC7520_BILBO_RSA_PRIVATE_JWK,
  RFC7520_SAMWISE_RSA_PRIVATE_JWK,
  RFC7520_SECTION4_PAYLOAD,
  RFC7520_SECTION5_PLAINTEXT,
} from './fixtures/rfc7520';
import { PrivateKeyPool } from './private-key-pool';

const bilboPrivate = importPrivateKey(RFC7520_BILBO_RSA_PRIVATE_JWK);
const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...bilboPublicJwk } = RFC7520_BILBO_RSA_PRIVATE_JWK;
const bilboPublic = importPublicKey(bilboPublicJwk);
const samwisePrivate = importPrivateKey(RFC7520_SAMWISE_RSA_PRIVATE_JWK);

describe('RFC 7520 section 4.1: RSA v1.5 signature (RS256)', () => {
  it('reproduces the published compact JWS exactly', async () => {
    const produced = await signCompactJws({ alg: 'RS256', kid: 'bilbo.baggins@hobbiton.example' }, RFC7520_SECTION4_PAYLOAD, bilboPrivate, inProcessOperations);
    expect(produced).toBe(RFC7520_4_1_COMPACT);
  });

  it('reproduces it on the worker pool too', async () => {
    const pool = new PrivateKeyPool({ size: 1 });
    try {
      const produced = await signCompactJws({ alg: 'RS256', kid: 'bilbo.baggins@hobbiton.example' }, RFC7520_SECTION4_PAYLOAD, bilboPrivate, pool);
      expect(produced).toBe(RFC7520_4_1_COMPACT);
    } finally {
      await pool.close();
    }
  });

  it('verifies the published signature and rejects a modified one', () => {
    const jws = parseCompactJws(RFC7520_4_1_COMPACT);
    expect(jws.header).toEqual({ alg: 'RS256', kid: 'bilbo.baggins@hobbiton.example' });
    expect(jws.payload.toString('utf8')).toBe(RFC7520_SECTION4_PAYLOAD);
    expect(verifyJwsSignature('RS256', bilboPublic, jws.signingInput, jws.signature)).toBe(true);
    const tampered = Buffer.from(jws.signature);
    tampered[0] ^= 1;
    expect(verifyJwsSignature('RS256', bilboPublic, jws.signingInput, tampered)).toBe(false);
  });
});

describe('RFC 7520 section 4.2: RSASSA-PSS signature (PS384)', () => {
  it('verifies the published signature (PSS is randomized, so it cannot be reproduced)', () => {
    const jws = parseCompactJws(RFC7520_4_2_COMPACT);
    expect(jws.header.alg).toBe('PS384');
    expect(verifyJwsSignature('PS384', bilboPublic, jws.signingInput, jws.signature)).toBe(true);
    expect(verifyJwsSignature('PS256', bilboPublic, jws.signingInput, jws.signature)).toBe(false);
  });
});

describe('RFC 7520 section 5.2: RSA-OAEP with AES-GCM', () => {
  it('unwraps the published CEK with the RFC key', () => {
    const jwe = parseCompactJwe(RFC7520_5_2_COMPACT, { algorithms: ['RSA-OAEP'], encryptions: ['A256GCM'] });
    const cek = privateDecrypt({ key: samwisePrivate, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha1' }, jwe.encryptedKey);
    expect(cek.toString('base64url')).toBe(RFC7520_5_2_CEK);
  });

  it('decrypts the published compact JWE to the published plaintext (in-process and on the pool)', async () => {
    const jwe = parseCompactJwe(RFC7520_5_2_COMPACT, { algorithms: ['RSA-OAEP'], encryptions: ['A256GCM'] });
    expect(jwe.header).toEqual({ alg: 'RSA-OAEP', kid: 'samwise.gamgee@hobbiton.example', enc: 'A256GCM' });
    expect((await decryptCompactJwe(jwe, samwisePrivate, inProcessOperations)).toString('utf8')).toBe(RFC7520_SECTION5_PLAINTEXT);
    const pool = new PrivateKeyPool({ size: 1 });
    try {
      expect((await decryptCompactJwe(jwe, samwisePrivate, pool)).toString('utf8')).toBe(RFC7520_SECTION5_PLAINTEXT);
    } finally {
      await pool.close();
    }
  });

  it('is refused under the default policy (RSA-OAEP with SHA-1 is opt-in)', () => {
    expect(() => parseCompactJwe(RFC7520_5_2_COMPACT, { algorithms: ['RSA-OAEP-256'], encryptions: ['A256GCM'] })).toThrow(
      expect.objectContaining({ code: 'ERR_ALG_NOT_ALLOWED' }),
    );
  });
});
