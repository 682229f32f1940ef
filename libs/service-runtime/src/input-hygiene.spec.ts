import type { Request, Response } from 'express';
import { toHttpProblem } from './http-problem';
import { RequestInputRefused, refuseNulCharacters, refuseNulInJson } from './input-hygiene';

function run(request: Partial<Request>): unknown {
  let passed: unknown = 'not called';
  refuseNulCharacters({ is: () => false, ...request } as unknown as Request, {} as Response, (error?: unknown) => (passed = error));
  return passed;
}

describe('input hygiene: NUL characters are refused at the edge', () => {
  it('refuses %00 and raw NUL in the URL (path or query) as a 400 ERR_BAD_REQUEST', () => {
    for (const url of ['/api/getbranchlist/25%00', '/participants/a%00b?x=1', '/billers?participant_code=%00', '/x/a\u0000b']) {
      const error = run({ originalUrl: url });
      expect(error).toBeInstanceOf(RequestInputRefused);
      expect(toHttpProblem(error)).toMatchObject({ status: 400, code: 'ERR_BAD_REQUEST', internal: false });
    }
    expect(run({ originalUrl: '/api/getbranchlist/2501?name=%2500' })).toBeUndefined();
  });

  it('refuses NUL in urlencoded form fields as ERR_MALFORMED_BODY', () => {
    const error = run({ originalUrl: '/oauth/token', is: (() => 'application/x-www-form-urlencoded') as never, body: { grant_type: 'password', username: 'a\u0000' } });
    expect(toHttpProblem(error)).toMatchObject({ status: 400, code: 'ERR_MALFORMED_BODY' });
    expect(run({ originalUrl: '/oauth/token', is: (() => 'application/x-www-form-urlencoded') as never, body: { grant_type: 'password' } })).toBeUndefined();
  });

  it('makes JSON.parse fail on NUL or an unpaired surrogate in a string or a key, and leaves other unicode alone', () => {
    expect(() => JSON.parse('{"client_id":"a\\u0000b"}', refuseNulInJson)).toThrow(SyntaxError);
    expect(() => JSON.parse('{"a\\u0000":1}', refuseNulInJson)).toThrow(SyntaxError);
    expect(() => JSON.parse('{"grant_type":"\\ud800"}', refuseNulInJson)).toThrow(SyntaxError);
    expect(() => JSON.parse('{"a":"x\\udfff"}', refuseNulInJson)).toThrow(SyntaxError);
    expect(JSON.parse('{"name":"\\ud83d\\ude42 नेपाल \\u200b \\u202e 🙂"}', refuseNulInJson)).toEqual({ name: '🙂 नेपाल \u200b \u202e 🙂' });
  });
});
