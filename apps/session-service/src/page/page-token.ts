import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes, timingSafeEqual } from 'node:crypto';
import { PageApiError } from '../errors';

/** What binds the page's calls to its session (seed 000 section 3.3). */
export interface PageTokenClaims {
  /** session_id */
  sid: string;
  /** participant_code */
  pc: string;
  /** expiry, seconds since the epoch (the session's expiry) */
  exp: number;
}

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');
const JWE_HEADER = b64(JSON.stringify({ alg: 'dir', enc: 'A256GCM', cty: 'JWT' }));
const JWS_HEADER = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
const MAX_LENGTH = 2048;

/**
 * The session's `session_id` "safeguarded through digital signature and encryption" (seed 000
 * section 3.3): an HS256 JWS (RFC 7515) nested in a `dir`/A256GCM JWE (RFC 7516), both keys derived
 * with HKDF from SESSION_COOKIE_SECRET. Symmetric on purpose: only this service issues and reads it,
 * and every call of the page pays for it (no RSA on that path).
 */
export class PageTokens {
  private readonly signingKey: Buffer;
  private readonly encryptionKey: Buffer;

  constructor(secret: string) {
    const derive = (info: string) => Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), 'npi-billers-page-token', info, 32));
    this.signingKey = derive('HS256 signing');
    this.encryptionKey = derive('A256GCM encryption');
  }

  issue(claims: PageTokenClaims): string {
    const payload = b64(JSON.stringify(claims));
    const signature = createHmac('sha256', this.signingKey).update(`${JWS_HEADER}.${payload}`).digest();
    const jws = `${JWS_HEADER}.${payload}.${b64(signature)}`;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(JWE_HEADER, 'ascii'));
    const ciphertext = Buffer.concat([cipher.update(jws, 'utf8'), cipher.final()]);
    return `${JWE_HEADER}..${b64(iv)}.${b64(ciphertext)}.${b64(cipher.getAuthTag())}`;
  }

  /** Decrypts, verifies and checks expiry; anything wrong is ERR_PAGE_TOKEN_INVALID (one code, no oracle). */
  verify(token: string | undefined, now: Date): PageTokenClaims {
    const invalid = () => new PageApiError('ERR_PAGE_TOKEN_INVALID', 'page token is missing or invalid');
    if (typeof token !== 'string' || token.length === 0 || token.length > MAX_LENGTH) throw invalid();
    const parts = token.split('.');
    if (parts.length !== 5 || parts[0] !== JWE_HEADER || parts[1] !== '') throw invalid();
    let jws: string;
    try {
      const decipher = createDecipheriv('aes-256-gcm', this.encryptionKey, Buffer.from(parts[2], 'base64url'));
      decipher.setAAD(Buffer.from(JWE_HEADER, 'ascii'));
      decipher.setAuthTag(Buffer.from(parts[4], 'base64url'));
      jws = Buffer.concat([decipher.update(Buffer.from(parts[3], 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw invalid();
    }
    const [header, payload, signature] = jws.split('.');
    if (header !== JWS_HEADER || !payload || !signature) throw invalid();
    const expected = createHmac('sha256', this.signingKey).update(`${header}.${payload}`).digest();
    const given = Buffer.from(signature, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
    let claims: PageTokenClaims;
    try {
      claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as PageTokenClaims;
    } catch {
      throw invalid();
    }
    if (typeof claims.sid !== 'string' || typeof claims.pc !== 'string' || typeof claims.exp !== 'number') throw invalid();
    if (now.getTime() >= claims.exp * 1000) throw new PageApiError('ERR_SESSION_EXPIRED', 'session expired');
    return claims;
  }
}
