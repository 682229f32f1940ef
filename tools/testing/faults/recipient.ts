/**
 * A participant system for the fault tier: counts what the dispatcher delivers to it, by
 * api_call_id, and can behave well, answer 5xx, answer slowly (past the dispatch timeout), or be down.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { apiCallIdOf } from './hcx-load';

export type Behaviour = 'ok' | 'error' | 'slow';

export interface Delivery {
  path: string;
  apiCallId?: string;
  body: Record<string, unknown>;
  at: number;
}

export class Recipient {
  readonly deliveries: Delivery[] = [];
  private server?: http.Server;
  url = '';

  constructor(
    public behaviour: Behaviour = 'ok',
    private readonly slowMs = 4_000,
  ) {}

  async start(): Promise<void> {
    const server = http.createServer((request, response) => {
      let text = '';
      request.on('data', (chunk) => (text += chunk));
      request.on('end', () => {
        let body: Record<string, unknown> = {};
        try {
          body = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // counted with an empty body
        }
        const answer = () => {
          if (this.behaviour === 'error') {
            response.writeHead(503).end();
            return;
          }
          const payload = typeof body.payload === 'string' ? body.payload : undefined;
          this.deliveries.push({ path: request.url ?? '', apiCallId: payload ? apiCallIdOf(payload) : undefined, body, at: Date.now() });
          response.writeHead(202, { 'content-type': 'application/json' }).end('{"ok":true}');
        };
        if (this.behaviour === 'slow') setTimeout(answer, this.slowMs).unref();
        else answer();
      });
    });
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  /** Deliveries per api_call_id. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const delivery of this.deliveries) if (delivery.apiCallId) counts.set(delivery.apiCallId, (counts.get(delivery.apiCallId) ?? 0) + 1);
    return counts;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve) ?? resolve(undefined));
  }
}
