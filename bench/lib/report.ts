/**
 * Shape every benchmark suite returns. Results are ratios against a baseline measured in the same
 * run on the same machine (DEVELOPERS.md: never absolute timings asserted in tests).
 */
export interface BenchMeasurement {
  /** What was measured, e.g. "seal, concurrency 64". */
  name: string;
  /** Operations per second (or another rate; say which in `unit`). */
  value: number;
  unit: string;
  /** Name of the baseline measurement in the same suite this is compared with. */
  baseline?: string;
  /** value / baseline.value, filled by the runner when `baseline` is set. */
  ratio?: number;
  /** Optional goal for the ratio, e.g. 0.85; the runner reports met/not met, never fails on it. */
  goal?: number;
  /** Extra figures (p50/p99 latency, overshoot count, memory). */
  extra?: Record<string, number | string>;
}

export interface BenchSuiteResult {
  suite: string;
  description: string;
  measurements: BenchMeasurement[];
  notes?: string[];
}

export interface BenchSuite {
  name: string;
  description: string;
  run(): Promise<BenchSuiteResult>;
}

/** Runs `operation` with `concurrency` callers in flight for about `durationMs`; returns ops/s. */
export async function measureThroughput(
  operation: () => Promise<unknown>,
  { concurrency, durationMs }: { concurrency: number; durationMs: number },
): Promise<{ opsPerSecond: number; operations: number }> {
  let operations = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(durationMs) * 1_000_000n;
  async function worker(): Promise<void> {
    while (process.hrtime.bigint() < deadline) {
      await operation();
      operations += 1;
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  const elapsedSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { opsPerSecond: operations / elapsedSeconds, operations };
}
