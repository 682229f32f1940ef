import { BillersError } from '../errors';
import type { BillersErrorCode } from '../errors';

/** NPI Billers v2 query parameters (integration section 4.3), after validation. */
export interface LaunchParams {
  token: string;
  participantCode: string;
  sessionId: string;
  channel: 'web' | 'mob';
  landingPage: 'biller-all' | 'biller_group' | 'biller_form';
  billerGroup?: string;
  billerCode?: string;
  os?: 'android' | 'ios';
  lang: 'en' | 'ne';
  displayMode: 'light' | 'dark';
  displayError: 'toast' | 'embedded' | 'host_app';
  webType: 'iframe';
}

/** Longest launch token accepted before any parsing (a nested JWT of three claims is ~1.3 KB). */
export const MAX_TOKEN_LENGTH = 8 * 1024;
export const PARTICIPANT_CODE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const GROUP_OR_CODE = /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,63}$/;

type Query = Record<string, unknown>;

/**
 * The query checks that need no database, in a fixed order (README "Error codes"): missing
 * parameters, then invalid values. A parameter given twice (`?channel=web&channel=mob`) is invalid,
 * never "the first one wins". Throws BillersError with NCHL's code; the participant, biller and
 * token checks follow in LaunchService.
 */
export function validateLaunchQuery(query: Query): LaunchParams {
  const raw = (name: string) => query[name];
  const present = (name: string) => raw(name) !== undefined && raw(name) !== '';
  const value = (name: string, invalid: BillersErrorCode): string => {
    const v = raw(name);
    if (typeof v !== 'string') throw new BillersError(invalid);
    return v;
  };
  const oneOf = <T extends string>(name: string, allowed: readonly T[], invalid: BillersErrorCode, fallback?: T): T => {
    if (!present(name)) {
      if (fallback === undefined) throw new BillersError(invalid);
      return fallback;
    }
    const v = value(name, invalid);
    if (!(allowed as readonly string[]).includes(v)) throw new BillersError(invalid);
    return v as T;
  };

  const missing: [string, BillersErrorCode][] = [
    ['token', '700'],
    ['channel', '701'],
    ['session_id', '705'],
    ['participant_code', '706'],
    ['landing_page', '707'],
  ];
  for (const [name, code] of missing) if (!present(name)) throw new BillersError(code);

  const channel = oneOf('channel', ['web', 'mob'] as const, '801');
  let os: LaunchParams['os'];
  if (channel === 'mob' && !present('os')) throw new BillersError('704');
  if (present('os')) os = oneOf('os', ['android', 'ios'] as const, '804');
  const lang = oneOf('lang', ['en', 'ne'] as const, '802', 'en');
  const displayMode = oneOf('display_mode', ['light', 'dark'] as const, '803', 'light');

  const participantCode = value('participant_code', '806');
  if (!PARTICIPANT_CODE.test(participantCode)) throw new BillersError('806');
  const sessionId = value('session_id', '805');
  const prefix = `${participantCode}_`;
  if (sessionId.length > 128 || !sessionId.startsWith(prefix) || !UUID.test(sessionId.slice(prefix.length))) throw new BillersError('805');

  const landingPage = oneOf('landing_page', ['biller-all', 'biller_group', 'biller_form'] as const, '807');
  let billerGroup: string | undefined;
  let billerCode: string | undefined;
  if (landingPage === 'biller_group') {
    if (!present('biller_group')) throw new BillersError('708');
    billerGroup = value('biller_group', '808');
    if (!GROUP_OR_CODE.test(billerGroup)) throw new BillersError('808');
  }
  if (landingPage === 'biller_form') {
    if (!present('biller_code')) throw new BillersError('709');
    billerCode = value('biller_code', '809');
    if (!GROUP_OR_CODE.test(billerCode)) throw new BillersError('809');
  }

  const token = value('token', '800');
  if (token.length > MAX_TOKEN_LENGTH) throw new BillersError('800', {}, 'ERR_TOKEN_TOO_LARGE');

  // Presentation hints without an NCHL error code fall back to their documented defaults.
  const displayErrorRaw = raw('display_error');
  const displayError = displayErrorRaw === 'embedded' || displayErrorRaw === 'host_app' ? displayErrorRaw : 'toast';

  return { token, participantCode, sessionId, channel, landingPage, billerGroup, billerCode, os, lang, displayMode, displayError, webType: 'iframe' };
}
