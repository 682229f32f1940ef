import type { ArgumentsHost } from '@nestjs/common';

/** An ArgumentsHost over a recording Express response, for exception-filter specs. */
export function fakeHttpHost(accept: 'json' | 'html' = 'json') {
  const response = {
    headersSent: false,
    locals: {},
    statusCode: 0,
    body: undefined as unknown,
    headers: {} as Record<string, string>,
    getHeader: () => 'corr-1',
    setHeader(name: string, value: string) {
      this.headers[name.toLowerCase()] = value;
    },
    removeHeader(name: string) {
      delete this.headers[name.toLowerCase()];
    },
    getHeaders() {
      return { ...this.headers };
    },
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
  const request = { accepts: () => accept };
  const host = { switchToHttp: () => ({ getRequest: () => request, getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, response };
}
