import type { ArgumentsHost } from '@nestjs/common';

/**
 * An ArgumentsHost over a recording Express response, for unit specs of the exception filters:
 * `answer()` is what the filter sent (status, body, lower-cased headers).
 */
export function fakeHttp(request: Record<string, unknown>, presetHeaders: Record<string, string> = {}) {
  const headers: Record<string, string> = { ...presetHeaders };
  const response = {
    headersSent: false,
    locals: {},
    statusCode: 0,
    body: undefined as unknown,
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    getHeader: (name: string) => headers[name.toLowerCase()],
    getHeaders: () => ({ ...headers }),
    status(code: number) {
      this.statusCode = code;
      return this;
    },
    json(body: unknown) {
      this.body = body;
      return this;
    },
  };
  const host = { switchToHttp: () => ({ getResponse: () => response, getRequest: () => request }) } as unknown as ArgumentsHost;
  return { host, answer: () => ({ status: response.statusCode, body: response.body, headers }) };
}
