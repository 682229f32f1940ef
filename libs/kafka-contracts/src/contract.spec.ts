import { AuthClientUpdatedV1, BillersBillPreparedV1, ContractViolationError, decodeEvent, encodeEvent } from './index';

const client = { clientId: 'bank-a', revision: 3, status: 'ACTIVE' as const, allowedCidrs: ['10.0.0.0/8'] };

describe('event contracts', () => {
  it('round-trips an event through encode/decode with an envelope and headers', () => {
    const encoded = encodeEvent(AuthClientUpdatedV1, client, { producer: 'auth-service', key: 'bank-a', correlationId: 'c-1' });
    expect(encoded.key).toBe('bank-a');
    expect(encoded.headers['event-type']).toBe('auth.client.updated.v1');
    const decoded = decodeEvent(AuthClientUpdatedV1, encoded.value);
    expect(decoded.data).toEqual(client);
    expect(decoded.version).toBe(1);
    expect(decoded.eventId).toBe(encoded.headers['event-id']);
    expect(decoded.correlationId).toBe('c-1');
  });

  it('refuses to encode data that breaks the contract', () => {
    expect(() => encodeEvent(AuthClientUpdatedV1, { ...client, status: 'GONE' } as never, { producer: 'x' })).toThrow(ContractViolationError);
    expect(() => encodeEvent(AuthClientUpdatedV1, { ...client, secret: 's' } as never, { producer: 'x' })).toThrow(/Unrecognized key/);
  });

  it.each([
    ['not JSON', '{'],
    ['empty', null],
    ['missing envelope fields', JSON.stringify({ data: client })],
    ['wrong topic', encodeEvent(BillersBillPreparedV1, {
      participantCode: 'P', sessionId: 'P_1', batchId: 'B1', instructionId: 'I1', amount: '10.00', currency: 'NPR', billerCode: 'NEA', expiresAt: new Date().toISOString(),
    }, { producer: 'x' }).value],
    ['bad data', JSON.stringify({ eventId: 'e', topic: 'auth.client.updated.v1', version: 1, occurredAt: new Date().toISOString(), producer: 'p', data: { clientId: 1 } })],
  ])('decode refuses a poison message: %s', (_name, value) => {
    expect(() => decodeEvent(AuthClientUpdatedV1, value)).toThrow(expect.objectContaining({ code: 'ERR_CONTRACT_VIOLATION' }));
  });

  it('refuses float-like amounts', () => {
    const bill = { participantCode: 'P', sessionId: 'P_1', batchId: 'B1', instructionId: 'I1', amount: '1e3', billerCode: 'NEA', expiresAt: new Date().toISOString() };
    expect(() => encodeEvent(BillersBillPreparedV1, bill as never, { producer: 'x' })).toThrow(/amount/);
  });
});
