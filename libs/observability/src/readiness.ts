/**
 * What a pod needs before it may receive traffic, contributed by whoever knows: the platform adds
 * the database; a lib whose in-memory state must be complete first (the auth-guards caches) adds
 * its own check. Kept here, not in the runtime, so any lib can contribute without importing it.
 */
export interface ReadinessCheck {
  name: string;
  /** Resolves (optionally with details for /health/ready) when ready; rejects saying why not. */
  check(): Promise<Record<string, unknown> | void>;
}

export class ReadinessRegistry {
  private readonly checks: ReadinessCheck[] = [];

  register(check: ReadinessCheck): void {
    if (this.checks.some((existing) => existing.name === check.name)) throw new Error(`readiness check ${check.name} registered twice`);
    this.checks.push(check);
  }

  unregister(name: string): void {
    const index = this.checks.findIndex((check) => check.name === name);
    if (index >= 0) this.checks.splice(index, 1);
  }

  list(): readonly ReadinessCheck[] {
    return [...this.checks];
  }
}

/** Nest injection token of the service's ReadinessRegistry (provided globally by the runtime). */
export const READINESS_REGISTRY = Symbol.for('npi.ReadinessRegistry');
