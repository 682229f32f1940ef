import type { NextFunction, Request, Response } from 'express';

/**
 * NUL (U+0000) and unpaired UTF-16 surrogates (only a JSON `\ud800` escape can produce one) have no
 * meaning in any protocol these services speak, and PostgreSQL cannot store them in text or jsonb:
 * one that reached a query or an audit row would fail there (a 500). They are refused at the edge
 * instead: NUL in the URL (`%00` in a path or query parameter), both in JSON strings and keys and in
 * form fields.
 */
const NUL = '\u0000';
const UNPAIRED_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function unstorable(text: string): boolean {
  return text.includes(NUL) || UNPAIRED_SURROGATE.test(text);
}

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
  if (unstorable(key) || (typeof value === 'string' && unstorable(value))) throw new SyntaxError('NUL or unpaired surrogate in JSON');
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
    next(new RequestInputRefused('request.nul.character.body', 'NUL characters and unpaired surrogates are not accepted in the request body'));
    return;
  }
  next();
}

function containsNul(value: unknown, depth: number): boolean {
  if (typeof value === 'string') return unstorable(value);
  if (depth > 8 || value === null || typeof value !== 'object') return false;
  return Object.entries(value).some(([key, item]) => unstorable(key) || containsNul(item, depth + 1));
}
