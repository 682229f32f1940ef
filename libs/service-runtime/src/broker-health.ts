import { Gauge, Counter } from 'prom-client';
import type { Logger } from 'pino';
import type { MessageBroker } from '@npi/messaging';
import type { ServiceMetrics } from '@npi/observability';

export interface BrokerHealthState {
  reachable: boolean;
  /** ISO time of the last successful ping, if any. */
  lastReachableAt?: string;
  lastError?: string;
  consecutiveFailures: number;
}

/**
 * Pings the broker in the background and remembers the answer, for /health/ready details and the
 * `broker_reachable` / `broker_ping_failures_total` metrics. It never gates readiness: the outbox
 * holds events while the broker is away, so taking every pod out of rotation would turn a broker
 * blip into an outage.
 */
export class BrokerHealthMonitor {
  private state: BrokerHealthState = { reachable: true, consecutiveFailures: 0 };
  private timer?: NodeJS.Timeout;
  private inFlight?: Promise<void>;
  private readonly reachableGauge: Gauge;
  private readonly failures: Counter;

  constructor(
    private readonly broker: MessageBroker,
    metrics: ServiceMetrics,
    private readonly logger: Logger,
    private readonly intervalMs = 5_000,
  ) {
    // The registry may outlive one app (the same service metrics across app instances): reuse.
    this.reachableGauge =
      (metrics.registry.getSingleMetric('broker_reachable') as Gauge | undefined) ??
      new Gauge({ name: 'broker_reachable', help: '1 when the last broker ping succeeded', registers: [metrics.registry] });
    this.failures =
      (metrics.registry.getSingleMetric('broker_ping_failures_total') as Counter | undefined) ??
      new Counter({ name: 'broker_ping_failures_total', help: 'Broker pings that failed or timed out', registers: [metrics.registry] });
    this.reachableGauge.set(1);
  }

  start(): void {
    if (this.timer) return;
    void this.probe();
    this.timer = setInterval(() => void this.probe(), this.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  current(): BrokerHealthState {
    return { ...this.state };
  }

  /** One ping now (also what the timer runs); never rejects. */
  probe(): Promise<void> {
    this.inFlight ??= this.broker
      .ping()
      .then(
        () => {
          if (!this.state.reachable) this.logger.info('broker reachable again');
          this.state = { reachable: true, lastReachableAt: new Date().toISOString(), consecutiveFailures: 0 };
          this.reachableGauge.set(1);
        },
        (error: unknown) => {
          if (this.state.reachable) this.logger.warn({ err: error }, 'broker unreachable; requests are still accepted (the outbox holds events)');
          this.state = { ...this.state, reachable: false, lastError: error instanceof Error ? error.message : String(error), consecutiveFailures: this.state.consecutiveFailures + 1 };
          this.reachableGauge.set(0);
          this.failures.inc();
        },
      )
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}
