import { withoutSecrets } from './console-summary';

describe('withoutSecrets (npm start console summary)', () => {
  const credentials = {
    'hcx-gateway': {
      participants: [{ client_id: 'demo-provider@hcx', client_secret: 'hcx-secret-0123456789', private_key_file: '/data/demo/key.pem' }],
    },
    'auth-service': { clientSecret: 'auth-client-secret-xyz', password: 'user-password-123', jwksUri: 'http://127.0.0.1:3001/.well-known/jwks.json' },
    'payment-service': { pfxPassphrase: 'pfx-passphrase-abc', passphraseFile: '/data/demo/member.passphrase' },
  };

  it('replaces every secret value by where it is kept, and leaves names, files and URLs alone', () => {
    const text = [
      `curl -d '{"client_id":"demo-provider@hcx","client_secret":"hcx-secret-0123456789"}'`,
      `curl -u 'client:auth-client-secret-xyz' --data-urlencode 'password=user-password-123'`,
      `openssl pkcs12 -passin file:/data/demo/member.passphrase   # pfx-passphrase-abc`,
      'key: /data/demo/key.pem',
    ].join('\n');
    const shown = withoutSecrets(text, credentials, '.data/demo/credentials.json');
    for (const secret of ['hcx-secret-0123456789', 'auth-client-secret-xyz', 'user-password-123', 'pfx-passphrase-abc']) expect(shown).not.toContain(secret);
    expect(shown).toContain('"client_secret":"<hcx-gateway.participants[0].client_secret in .data/demo/credentials.json>"');
    expect(shown).toContain('demo-provider@hcx');
    expect(shown).toContain('file:/data/demo/member.passphrase');
    expect(shown).toContain('key: /data/demo/key.pem');
  });
});
