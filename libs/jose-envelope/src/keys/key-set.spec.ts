import { rsaKeyPair } from '../fixtures/test-keys';
import { KeySet } from './key-set';

describe('KeySet', () => {
  it('finds keys by kid and use', async () => {
    const a = await rsaKeyPair('a');
    const b = await rsaKeyPair('b');
    const set = new KeySet([
      { kid: 'sig-1', key: a.publicKey, use: 'sig' },
      { kid: 'enc-1', key: b.privateKey, use: 'enc', alg: 'RSA-OAEP-256' },
    ]);
    expect(set.getKey('sig-1', 'sig')?.key).toBe(a.publicKey);
    expect(set.getKey('enc-1', 'enc')?.alg).toBe('RSA-OAEP-256');
    expect(set.getKey('sig-1', 'enc')).toBeUndefined();
    expect(set.getKey('nope', 'sig')).toBeUndefined();
  });

  it('picks the only key of a use when no kid is given, and none when there are several', async () => {
    const a = await rsaKeyPair('a');
    const b = await rsaKeyPair('b');
    expect(new KeySet([{ kid: 'x', key: a.publicKey, use: 'sig' }, { kid: 'y', key: b.privateKey, use: 'enc' }]).getKey(undefined, 'sig')?.kid).toBe('x');
    expect(new KeySet([{ kid: 'x', key: a.publicKey, use: 'sig' }, { kid: 'y', key: b.publicKey, use: 'sig' }]).getKey(undefined, 'sig')).toBeUndefined();
  });

  it.each([
    ['an empty kid', { kid: '', use: 'sig' }],
    ['a bad use', { kid: 'k', use: 'both' }],
    ['an alg that does not fit the use', { kid: 'k', use: 'sig', alg: 'RSA-OAEP-256' }],
    ['an HMAC alg', { kid: 'k', use: 'sig', alg: 'HS256' }],
  ])('refuses %s', async (_name, entry) => {
    const a = await rsaKeyPair('a');
    expect(() => new KeySet([{ key: a.publicKey, ...entry } as never])).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });

  it('refuses duplicate kids', async () => {
    const a = await rsaKeyPair('a');
    expect(
      () =>
        new KeySet([
          { kid: 'k', key: a.publicKey, use: 'sig' },
          { kid: 'k', key: a.publicKey, use: 'sig' },
        ]),
    ).toThrow(expect.objectContaining({ code: 'ERR_KEY_INVALID' }));
  });
});
