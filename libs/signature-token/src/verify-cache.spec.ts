import { X509Certificate } from 'node:crypto';
import * as certificateModule from './keys/certificate';
import { loadSigner } from './sign';
import { createVerifier } from './verify';
import { generateMemberCredentials, type MemberCredentials } from './testing/generate-credentials';
import { codeOf } from './testing/expect-code';

jest.mock('./keys/certificate', () => {
  const actual = jest.requireActual<typeof import('./keys/certificate')>('./keys/certificate');
  return { ...actual, parseCertificate: jest.fn(actual.parseCertificate) };
});
const parseCertificate = certificateModule.parseCertificate as jest.MockedFunction<typeof certificateModule.parseCertificate>;

const PASSPHRASE = 'cache test';
const members: { credentials: MemberCredentials; token: string }[] = [];

beforeAll(() => {
  for (const commonName of ['MEMBER-1', 'MEMBER-2', 'MEMBER-3']) {
    const credentials = generateMemberCredentials({ commonName, passphrase: PASSPHRASE, days: 2 });
    members.push({ credentials, token: loadSigner(credentials.pfx, PASSPHRASE).sign('message') });
  }
});

beforeEach(() => parseCertificate.mockClear());

describe('the verifier caches parsed certificates', () => {
  it('parses a PEM certificate once, however often it is used', () => {
    const verifier = createVerifier();
    const [{ credentials, token }] = members;
    for (let round = 0; round < 5; round++) verifier.verify('message', token, credentials.certificatePem);
    expect(parseCertificate).toHaveBeenCalledTimes(1);
  });

  it('parses equal DER bytes once, even from different buffers', () => {
    const verifier = createVerifier();
    const [{ credentials, token }] = members;
    const der = new X509Certificate(credentials.certificatePem).raw;
    verifier.verify('message', token, Buffer.from(der));
    verifier.verify('message', token, Buffer.from(der));
    expect(parseCertificate).toHaveBeenCalledTimes(1);
  });

  it('still checks validity on every use, cached or not', () => {
    let now = new Date();
    const verifier = createVerifier({ clock: () => now });
    const [{ credentials, token }] = members;
    verifier.verify('message', token, credentials.certificatePem);
    now = new Date(Date.now() + 3 * 86_400_000);
    expect(codeOf(() => verifier.verify('message', token, credentials.certificatePem))).toBe('ERR_CERTIFICATE_EXPIRED');
    expect(parseCertificate).toHaveBeenCalledTimes(1);
  });

  it('evicts the least recently used certificate beyond its capacity', () => {
    const verifier = createVerifier({ maxCachedCertificates: 2 });
    const use = (index: number) => verifier.verify('message', members[index].token, members[index].credentials.certificatePem);
    use(0);
    use(1);
    use(0); // 0 is now the most recent
    use(2); // evicts 1
    expect(parseCertificate).toHaveBeenCalledTimes(3);
    use(0);
    expect(parseCertificate).toHaveBeenCalledTimes(3);
    use(1);
    expect(parseCertificate).toHaveBeenCalledTimes(4);
  });

  it('does not cache a refused certificate as if it were good', () => {
    const verifier = createVerifier();
    expect(codeOf(() => verifier.verify('message', members[0].token, 'garbage'))).toBe('ERR_CERTIFICATE_INVALID');
    expect(codeOf(() => verifier.verify('message', members[0].token, 'garbage'))).toBe('ERR_CERTIFICATE_INVALID');
    expect(parseCertificate).toHaveBeenCalledTimes(2);
  });

  it('never mixes up certificates: each token verifies only with its own member', () => {
    const verifier = createVerifier();
    for (const signer of members) {
      for (const holder of members) {
        const attempt = () => verifier.verify('message', signer.token, holder.credentials.certificatePem);
        if (signer === holder) expect(attempt).not.toThrow();
        else expect(codeOf(attempt)).toBe('ERR_SIGNATURE_INVALID');
      }
    }
  });
});
