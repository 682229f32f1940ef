/**
 * A Billers host participant (a bank's app that launches the Billers page) as session-service's
 * registry stores it, with one signing (SIG) and one encryption (ENC) public key. Plain data: the
 * record's type lives in `@npi/session/data-access`, which `@npi/testing` may not import; the result
 * is assignable to its `ParticipantRecord`.
 */
export interface BillersHostParticipantKey {
  kid: string;
  use: 'SIG' | 'ENC';
  publicKeyPem: string;
  createdAt: Date;
}

export interface BillersHostParticipant {
  code: string;
  name: string;
  status: 'ACTIVE' | 'SUSPENDED';
  allowedAlgorithms: string[];
  hostOrigins: string[];
  channels: string[];
  enabledBillers: string[];
  keys: BillersHostParticipantKey[];
}

export interface BillersHostParticipantSetup extends Partial<Omit<BillersHostParticipant, 'keys'>> {
  /** PEM (SPKI) of the host's signing key; a placeholder when the test never verifies a signature. */
  signingPublicKeyPem?: string;
  /** PEM (SPKI) of the host's encryption key; a placeholder when the test never encrypts to it. */
  encryptionPublicKeyPem?: string;
}

/**
 * Defaults: code `bank`, ACTIVE, PS256, origin `https://bank.example`, channels web and mob, billers
 * NTC and NEA, keys `<code>-sig` and `<code>-enc` created at the epoch. Any field can be overridden.
 */
export function billersHostParticipant(setup: BillersHostParticipantSetup = {}): BillersHostParticipant {
  const { signingPublicKeyPem = 'sig-pem', encryptionPublicKeyPem = 'enc-pem', ...fields } = setup;
  const code = fields.code ?? 'bank';
  return {
    code,
    name: 'Bank',
    status: 'ACTIVE',
    allowedAlgorithms: ['PS256'],
    hostOrigins: ['https://bank.example'],
    channels: ['web', 'mob'],
    enabledBillers: ['NTC', 'NEA'],
    ...fields,
    keys: [
      { kid: `${code}-sig`, use: 'SIG', publicKeyPem: signingPublicKeyPem, createdAt: new Date(0) },
      { kid: `${code}-enc`, use: 'ENC', publicKeyPem: encryptionPublicKeyPem, createdAt: new Date(0) },
    ],
  };
}
