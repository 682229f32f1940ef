import { Counter, Histogram, Registry, collectDefaultMetrics, register as processRegistry } from 'prom-client';

let processMetricsStarted = false;

export type HotPathStage = 'verify' | 'database' | 'publish' | 'deliver';

/** One registry per service (the standalone mode runs four in one process). */
export interface ServiceMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /**
   * Time spent per stage of the hot paths: `verify` (credentials and signatures), `database` (the
   * write statement), `publish` (outbox batch to the broker, acked), `deliver` (an HCX call to a
   * participant system); `path` names the request path or component.
   */
  stageDuration: Histogram<'stage' | 'path' | 'outcome'>;
  /** Times `work` into stageDuration (outcome ok/failed by whether it threw). */
  timeStage<T>(stage: HotPathStage, path: string, work: () => Promise<T>): Promise<T>;
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
  const stageDuration = new Histogram({
    name: 'hot_path_stage_duration_seconds',
    help: 'Duration of one stage of a hot path (verify, database, publish, deliver)',
    labelNames: ['stage', 'path', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const timeStage = async <T>(stage: HotPathStage, path: string, work: () => Promise<T>): Promise<T> => {
    const end = stageDuration.startTimer({ stage, path });
    try {
      const result = await work();
      end({ outcome: 'ok' });
      return result;
    } catch (error) {
      end({ outcome: 'failed' });
      throw error;
    }
  };
  return {
    registry,
    httpRequests,
    httpDuration,
    stageDuration,
    timeStage,
    contentType: registry.contentType,
    render: async () => (await Registry.merge([processRegistry, registry]).metrics()),
  };
}
