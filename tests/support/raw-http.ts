/**
 * HTTP as an attacker sends it: the path goes out byte for byte (no URL normalisation, so `..`,
 * `%00` and malformed escapes reach the server), any header and body bytes.
 */
import http from 'node:http';

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export function rawRequest(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: string | Buffer): Promise<RawAnswer> {
  const url = new URL(base);
  return new Promise((resolve, reject) => {
    const request = http.request(
      { host: url.hostname, port: url.port, method, path, headers: { ...headers, ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }) }, insecureHTTPParser: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', reject);
      },
    );
    // A server may answer (413, 400) and close before reading a large body: that answer counts.
    request.on('error', reject);
    if (body !== undefined) request.write(body);
    request.end();
  });
}

/** Percent-encodes what Node refuses in a request path (non-ASCII, spaces, controls), byte by byte; lone surrogates as CESU-8 bytes. */
export function encodePathSegment(value: string, keepEscapes: boolean): string {
  let out = '';
  for (const char of value) {
    const code = char.codePointAt(0) ?? 0;
    if (keepEscapes && (char === '%' || char === '/' || char === '.')) out += char;
    else if (code >= 0xd800 && code <= 0xdfff) out += Buffer.from([0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]).toString('hex').replace(/(..)/g, '%$1').toUpperCase();
    else out += encodeURIComponent(char);
  }
  return out;
}

/** A stack trace or internal detail in an answer body. */
export function leaksInternals(body: string): boolean {
  return /\bat [\w$.<>]+ \(|\bat (?:async )?\/|node_modules|\.ts:\d+:\d+|PrismaClient|QueryFailedError|ECONNREFUSED/.test(body);
}
