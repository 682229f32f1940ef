import type { NextFunction, Request, Response } from 'express';

/**
 * NUL (U+0000) has no meaning in any protocol these services speak, and PostgreSQL cannot store it
 * in text: a NUL that reached a query would fail there (a 500). It is refused at the edge instead,
 * in the URL (`%00` in a path or query parameter), in JSON strings and keys, and in form fields.
 */
const NUL = '\u0000';

/** Thrown for bad input found before routing; `toHttpProblem` maps it to a 400 by its `type`. */
export class RequestInputRefused extends Error {
  readonly status = 400;
  constructor(
    readonly type: 'request.nul.character.url' | 'request.nul.character.body',
    message: string,
  ) {
    super(message);
    this.name = 'RequestInputRefused';
  }
}

/** `JSON.parse` reviver for express.json: a throw here becomes body-parser's `entity.parse.failed` (400). */
export function refuseNulInJson(key: string, value: unknown): unknown {
  if (key.includes(NUL) || (typeof value === 'string' && value.includes(NUL))) throw new SyntaxError('NUL character in JSON');
  return value;
}

/** Runs after the body parsers: the URL (raw and decoded) and urlencoded form fields. */
export function refuseNulCharacters(request: Request, _response: Response, next: NextFunction): void {
  const url = request.originalUrl ?? request.url ?? '';
  if (/%00/i.test(url) || url.includes(NUL)) {
    next(new RequestInputRefused('request.nul.character.url', 'NUL characters are not accepted in the URL'));
    return;
  }
  if (request.is('application/x-www-form-urlencoded') && containsNul(request.body, 0)) {
    next(new RequestInputRefused('request.nul.character.body', 'NUL characters are not accepted in the request body'));
    return;
  }
  next();
}

function containsNul(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return value.includes(NUL);
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, item]) => key.includes(NUL) || containsNul(item, depth + 1));
}
