import type { ArgumentsHost } from '@nestjs/common';

/**
 * An ArgumentsHost over `request` and a recording Express response, for exception-filter specs.
 * `presetHeaders` are on the response before the filter runs (the throttler's `Retry-After-<rule>`,
 * the request context's `x-correlation-id`).
 */
export function fakeHttp(request: Record<string, unknown>, presetHeaders: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...presetHeaders };
  const response = {
    headersSent: false,
    locals: {},
    statusCode: 0,
    body: undefined as unknown,
    headers,
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    getHeader: (name: string) => headers[name.toLowerCase()],
    getHeaders: () => ({ ...headers }),
    removeHeader: (name: string) => void delete headers[name.toLowerCase()],
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    type() {
      return this;
    },
    json(body: unknown) {
      this.body = body;
      return this;
    },
    send(body: unknown) {
      this.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }) } as unknown as ArgumentsHost;
  return { host, response, answer: () => ({ status: response.statusCode, body: response.body, headers }) };
}
