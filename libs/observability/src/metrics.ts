import { Counter, Histogram, Registry, collectDefaultMetrics, register as processRegistry } from 'prom-client';

let processMetricsStarted = false;

/** One registry per service (the standalone mode runs four in one process). */
export interface ServiceMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  render(): Promise<string>;
  contentType: string;
}

export function createServiceMetrics(service: string): ServiceMetrics {
  if (!processMetricsStarted) {
    collectDefaultMetrics({ register: processRegistry });
    processMetricsStarted = true;
  }
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  const httpRequests = new Counter({ name: 'http_requests_total', help: 'HTTP requests by route and status', labelNames: ['method', 'route', 'status'] as const, registers: [registry] });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return {
    registry,
    httpRequests,
    httpDuration,
    contentType: registry.contentType,
    render: async () => (await Registry.merge([processRegistry, registry]).metrics()),
  };
}
