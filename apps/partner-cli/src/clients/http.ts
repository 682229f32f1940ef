/** fetch with the CLI's error handling: an unreachable service says so and how to start it. */
import { CliError } from '../errors';

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

export async function httpCall<T = unknown>(url: string, init: RequestInit = {}): Promise<HttpAnswer<T>> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new CliError('ERR_SERVICE_UNREACHABLE', `cannot reach ${new URL(url).origin}: ${(error as { cause?: { code?: string } }).cause?.code ?? (error as Error).message}`, 'start the platform with `npm start`, or pass the right base URL (--auth-url, --payment-url, --session-url, --hcx-url)');
  }
  const text = await response.text();
  let body: unknown = text;
  if (text && (response.headers.get('content-type') ?? '').includes('json')) {
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
  }
  return { status: response.status, body: body as T, headers: response.headers };
}

export const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
export const bearer = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
