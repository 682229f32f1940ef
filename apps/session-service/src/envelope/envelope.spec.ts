import { generateKeyPairSync } from 'node:crypto';
import { billersHostParticipant } from '@npi/testing';
import { launchUnwrapOffload, participantKeys } from './envelope';

const spki = () => generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('participantKeys (per stored key list, rebuilt when the list changes)', () => {
  const first = spki();
  const second = spki();
  const enc = spki();

  it('hands every launch of one record the same set, holding the registered key', () => {
    const participant = billersHostParticipant({ signingPublicKeyPem: first, encryptionPublicKeyPem: enc });
    const set = participantKeys(participant, 'SIG');
    expect(participantKeys(participant, 'SIG')).toBe(set);
    expect(set.getKey('bank-sig', 'sig')?.key.export({ type: 'spki', format: 'pem' })).toBe(first);
    expect(set.getKey('bank-enc', 'sig')).toBeUndefined();
  });

  it('never answers from a set built before the list was changed in place', () => {
    const participant = billersHostParticipant({ signingPublicKeyPem: first, encryptionPublicKeyPem: enc });
    const before = participantKeys(participant, 'SIG');
    participant.keys[0] = { ...participant.keys[0], publicKeyPem: second };
    const after = participantKeys(participant, 'SIG');
    expect(after).not.toBe(before);
    expect(after.getKey('bank-sig', 'sig')?.key.export({ type: 'spki', format: 'pem' })).toBe(second);
    participant.keys.push({ kid: 'bank-sig-2', use: 'SIG', publicKeyPem: first, createdAt: new Date(1) });
    expect(participantKeys(participant, 'SIG').getKey('bank-sig-2', 'sig')).toBeDefined();
  });
});

describe('launchUnwrapOffload', () => {
  it('keeps the unwrap on the calling thread up to two cores and offloads it beyond', () => {
    expect(launchUnwrapOffload(1)).toBe(false);
    expect(launchUnwrapOffload(2)).toBe(false);
    expect(launchUnwrapOffload(4)).toBe(true);
  });
});
