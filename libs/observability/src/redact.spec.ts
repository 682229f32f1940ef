import { Writable } from 'node:stream';
import { createLogger } from './logger';
import { REDACTED, redactSecrets } from './redact';

const pem = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----';
const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJlLXZhbHVl';

describe('redactSecrets', () => {
  it.each(['authorization', 'Authorization', 'password', 'client_secret', 'clientSecret', 'refresh_token', 'token', 'privateKey', 'private_key', 'pfxPassphrase', 'passphrase', 'cookie'])(
    'removes %s at any depth',
    (key) => {
      const input = { a: { b: [{ [key]: 'very-secret-value' }] } };
      expect(JSON.stringify(redactSecrets(input))).not.toContain('very-secret-value');
    },
  );

  it('removes PEM private keys, compact JWS/JWE and secret query parameters under innocent keys', () => {
    const out = JSON.stringify(redactSecrets({ note: `key ${pem}`, url: `/billers?participant_code=P&token=${jwt}`, header: `Bearer ${jwt}` }));
    expect(out).not.toContain('MIIEvQ');
    expect(out).not.toContain('c2lnbmF0dXJlLXZhbHVl');
    expect(out).toContain('participant_code=P');
  });

  it('keeps ordinary fields', () => {
    expect(redactSecrets({ batchId: 'B1', amount: '10.00' })).toEqual({ batchId: 'B1', amount: '10.00' });
  });
});

describe('createLogger', () => {
  it('writes JSON lines with secrets redacted', () => {
    const lines: string[] = [];
    const sink = new Writable({ write(chunk, _enc, done) { lines.push(String(chunk)); done(); } });
    const logger = createLogger('test-service', 'info', sink);
    logger.info({ req: { headers: { authorization: 'Basic c2VjcmV0' } }, client_secret: 'abc' }, `got ${jwt}`);
    const line = JSON.parse(lines[0]) as Record<string, unknown>;
    expect(line.service).toBe('test-service');
    expect(line.level).toBe('info');
    expect(lines[0]).not.toContain('c2VjcmV0');
    expect(lines[0]).not.toContain('abc');
    expect(line.message).toBe(`got ${REDACTED}`);
  });
});
