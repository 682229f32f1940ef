import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics, register as processRegistry } from 'prom-client';

let processMetricsStarted = false;

export type HotPathStage = 'verify' | 'database' | 'queue' | 'publish' | 'consume' | 'dispatch' | 'deliver';

/** One registry per service (the standalone mode runs four in one process). */
export interface ServiceMetrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  /**
   * Time spent per stage of the hot paths: `verify` (credentials and signatures), `database` (the
   * write statement, accept → commit), `queue` (an outbox row's commit → its relay batch starting),
   * `publish` (outbox batch to the broker, acked), `consume` (the broker hop: producer send → the
   * consumer's handler), `dispatch` (an HCX delivery's handler receipt → its first HTTP try),
   * `deliver` (an HCX call to a participant system); `path` names the request path, component or topic.
   */
  stageDuration: Histogram<'stage' | 'path' | 'outcome'>;
  /**
   * Domain metrics. `kind` names the credential (`oauth.password`, `oauth.refresh_token`,
   * `npi.access_token`, `hcx.api_key`, `billers.launch_token`, …); `reason` is the stable error
   * code of the refusal, never free text, so the label set stays small.
   */
  tokensIssued: Counter<'kind'>;
  tokensRefused: Counter<'kind' | 'reason'>;
  /** Signatures that did not verify (NCHL token strings, JWS inside launch tokens, …). */
  signatureFailures: Counter<'kind' | 'reason'>;
  /** Messages moved to `<topic>.dlq` by this service's consumers. */
  deadLetters: Counter<'group' | 'topic'>;
  /** Messages behind the partition's high watermark, as of the consumer's last batch. */
  consumerLag: Gauge<'group' | 'topic' | 'partition'>;
  /** Outbox rows written and not yet published (sampled when /metrics is read). */
  outboxBacklog: Gauge<'schema'>;
  /** Times `work` into stageDuration (outcome ok/failed by whether it threw). */
  timeStage<T>(stage: HotPathStage, path: string, work: () => Promise<T>): Promise<T>;
  /** Runs before each render, to sample gauges that are read on demand (e.g. outbox backlog). */
  onCollect(sample: () => Promise<void>): void;
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
    help: 'Duration of one stage of a hot path (verify, database, queue, publish, consume, dispatch, deliver)',
    labelNames: ['stage', 'path', 'outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const tokensIssued = new Counter({ name: 'tokens_issued_total', help: 'Credentials issued, by kind', labelNames: ['kind'] as const, registers: [registry] });
  const tokensRefused = new Counter({ name: 'tokens_refused_total', help: 'Credentials refused, by kind and error code', labelNames: ['kind', 'reason'] as const, registers: [registry] });
  const signatureFailures = new Counter({
    name: 'signature_verification_failures_total',
    help: 'Signatures that did not verify, by kind and error code',
    labelNames: ['kind', 'reason'] as const,
    registers: [registry],
  });
  const deadLetters = new Counter({ name: 'messages_dead_lettered_total', help: 'Messages moved to a dead-letter topic', labelNames: ['group', 'topic'] as const, registers: [registry] });
  const consumerLag = new Gauge({
    name: 'consumer_lag_messages',
    help: "Messages behind the partition's high watermark at the consumer's last batch",
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [registry],
  });
  const outboxBacklog = new Gauge({ name: 'outbox_backlog_rows', help: 'Outbox rows not yet published', labelNames: ['schema'] as const, registers: [registry] });
  const samplers: (() => Promise<void>)[] = [];
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
    tokensIssued,
    tokensRefused,
    signatureFailures,
    deadLetters,
    consumerLag,
    outboxBacklog,
    timeStage,
    contentType: registry.contentType,
    onCollect: (sample) => samplers.push(sample),
    render: async () => {
      // A sampler that fails (database down) leaves its gauge at the last value; /metrics still answers.
      await Promise.all(samplers.map((sample) => sample().catch(() => undefined)));
      return Registry.merge([processRegistry, registry]).metrics();
    },
  };
}
