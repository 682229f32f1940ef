import { randomUUID } from 'node:crypto';
import { BillersError } from '../errors';
import { validateLaunchQuery } from './launch-params';

const valid = () => ({ token: 'x.y.z.a.b', channel: 'web', session_id: `bank_${randomUUID()}`, participant_code: 'bank', landing_page: 'biller-all' });
const codeOf = (query: Record<string, unknown>) => {
  try {
    validateLaunchQuery(query);
    return 'ok';
  } catch (error) {
    return (error as BillersError).code;
  }
};

describe('validateLaunchQuery', () => {
  it('accepts a valid query and applies the documented defaults', () => {
    expect(validateLaunchQuery(valid())).toMatchObject({ lang: 'en', displayMode: 'light', displayError: 'toast', webType: 'iframe', channel: 'web' });
  });

  it('reports the first missing parameter in the documented order', () => {
    expect(codeOf({})).toBe('700');
    expect(codeOf({ token: 't' })).toBe('701');
    expect(codeOf({ token: 't', channel: 'web' })).toBe('705');
  });

  it('treats an empty value as missing and an array (repeated parameter) as invalid', () => {
    expect(codeOf({ ...valid(), token: '' })).toBe('700');
    expect(codeOf({ ...valid(), channel: ['web', 'mob'] })).toBe('801');
    expect(codeOf({ ...valid(), session_id: [valid().session_id] })).toBe('805');
    expect(codeOf({ ...valid(), token: ['a', 'b'] })).toBe('800');
  });

  it('ignores unknown display_error values (presentation hint without an NCHL code)', () => {
    expect(validateLaunchQuery({ ...valid(), display_error: 'popup' }).displayError).toBe('toast');
    expect(validateLaunchQuery({ ...valid(), display_error: 'host_app' }).displayError).toBe('host_app');
  });

  it('requires the session_id prefix to be exactly the participant code', () => {
    const id = randomUUID();
    expect(codeOf({ ...valid(), participant_code: 'ban', session_id: `bank_${id}` })).toBe('805');
    expect(codeOf({ ...valid(), session_id: `bank_${id.toUpperCase()}` })).toBe('ok');
    expect(codeOf({ ...valid(), session_id: `bank_${id}x` })).toBe('805');
  });

  it('refuses oversized tokens and group names with 800 and 808', () => {
    expect(codeOf({ ...valid(), token: 'a'.repeat(8 * 1024 + 1) })).toBe('800');
    expect(codeOf({ ...valid(), landing_page: 'biller_group', biller_group: 'x'.repeat(65) })).toBe('808');
  });
});
