import { createHash } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { KeySet, importPublicKey, isEnvelopeError, open, seal } from '@npi/jose-envelope';
import type { JwsAlgorithm } from '@npi/jose-envelope';
import type { ParticipantRecord } from '@npi/session/data-access';
import type { BillersKeys } from '../billers-keys';

/**
 * Ports over @npi/jose-envelope (seed 000 section 3.2), so the launch and page services do not
 * depend on the library's option shapes, and unit tests can fake them.
 */
export interface LaunchTokenOpener {
  /** Decrypts with the Billers key the JWE `kid` selects and verifies with the participant's key. */
  open(token: string, participant: ParticipantRecord, now: Date): Promise<Record<string, unknown>>;
}

export interface NpiObjectSealer {
  /** Signs with NPI Billers' key (PS256) and encrypts for the participant's newest `ENC` key. */
  seal(npiObject: Record<string, unknown>, participant: ParticipantRecord, now: Date): Promise<string>;
}

/** Why a launch token was refused: the library's stable code (logged; the host sees NCHL's 800). */
export class LaunchTokenRejected extends Error {
  constructor(readonly reason: string) {
    super(`launch token rejected: ${reason}`);
    this.name = 'LaunchTokenRejected';
  }
}

// Registered keys were validated on entry; importing is still cached so a launch costs no PEM parsing.
const imported = new Map<string, KeyObject>();
function publicKeyOf(pem: string): KeyObject {
  const id = createHash('sha256').update(pem).digest('base64url');
  let key = imported.get(id);
  if (!key) {
    key = importPublicKey(pem);
    if (imported.size > 10_000) imported.clear();
    imported.set(id, key);
  }
  return key;
}

// A participant's key sets, per stored key list: the registry cache hands the same record (and the
// same list) to every launch until it is reloaded, so a launch neither hashes PEMs nor builds a set.
// The entries the set was built from are kept and compared (by reference) so a list changed in
// place is never answered from a stale set.
type StoredKeys = ParticipantRecord['keys'];
const keySets = { SIG: new WeakMap<StoredKeys, { from: StoredKeys; set: KeySet }>(), ENC: new WeakMap<StoredKeys, { from: StoredKeys; set: KeySet }>() };

export function participantKeys(participant: ParticipantRecord, use: 'SIG' | 'ENC'): KeySet {
  const cached = keySets[use].get(participant.keys);
  if (cached && cached.from.length === participant.keys.length && cached.from.every((key, index) => sameKey(key, participant.keys[index]))) return cached.set;
  const set = keySetOf(participant, use);
  keySets[use].set(participant.keys, { from: participant.keys.map((key) => ({ ...key })), set });
  return set;
}

function sameKey(a: StoredKeys[number], b: StoredKeys[number]): boolean {
  return a.kid === b.kid && a.use === b.use && a.publicKeyPem === b.publicKeyPem;
}

function keySetOf(participant: ParticipantRecord, use: 'SIG' | 'ENC'): KeySet {
  return new KeySet(
    participant.keys.filter((k) => k.use === use).map((k) => ({ kid: k.kid, key: publicKeyOf(k.publicKeyPem), use: use === 'SIG' ? ('sig' as const) : ('enc' as const) })),
  );
}

export class JoseLaunchTokenOpener implements LaunchTokenOpener {
  /**
   * `offload`: where the RSA-OAEP unwrap runs: true (default) on @npi/jose-envelope's worker pool,
   * false on the calling thread (see `launchUnwrapOffload`).
   */
  constructor(
    private readonly keys: BillersKeys,
    private readonly maxTokenBytes: number,
    private readonly offload = true,
  ) {}

  async open(token: string, participant: ParticipantRecord, now: Date): Promise<Record<string, unknown>> {
    try {
      const result = await open(token, {
        decryptionKeys: this.keys.decryption,
        sender: { id: participant.code, keys: participantKeys(participant, 'SIG'), algorithms: participant.allowedAlgorithms as JwsAlgorithm[] },
        requiredClaims: ['participant_code', 'session_id', 'channel'],
        maxTokenBytes: this.maxTokenBytes,
        now: () => now.getTime(),
        offload: this.offload,
      });
      return result.claims;
    } catch (error) {
      if (isEnvelopeError(error)) throw new LaunchTokenRejected(error.code);
      throw error;
    }
  }
}

/**
 * Whether the launch's unwrap goes to the worker pool: only with more than two cores. On two, the
 * service's main thread, its PostgreSQL and the pool share both cores anyway, and handing each
 * unwrap over (a message each way, a thread woken) cost more CPU than it freed: about 0.1-0.15 ms per
 * launch, against the ~0.3 ms the unwrap blocks the event loop for.
 */
export function launchUnwrapOffload(cores: number = availableParallelism()): boolean {
  return cores > 2;
}

export class JoseNpiObjectSealer implements NpiObjectSealer {
  constructor(private readonly keys: BillersKeys) {}

  async seal(npiObject: Record<string, unknown>, participant: ParticipantRecord, now: Date): Promise<string> {
    const encryption = [...participant.keys].filter((k) => k.use === 'ENC').sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())[0];
    if (!encryption) throw new LaunchTokenRejected('ERR_NO_PARTICIPANT_ENCRYPTION_KEY');
    return seal(
      npiObject,
      { signingKey: this.keys.signing.key, kid: this.keys.signing.kid, alg: 'PS256' },
      { recipientKey: publicKeyOf(encryption.publicKeyPem), kid: encryption.kid },
      { issuedAt: true, now: () => now.getTime() },
    );
  }
}
