export { REDACTED, isSecretKey, redactSecrets, redactString } from './redact';
export { CORRELATION_HEADER, correlationIdOf } from './correlation';
export { createLogger } from './logger';
export type { LogLevel } from './logger';
export { createServiceMetrics } from './metrics';
export type { HotPathStage, ServiceMetrics } from './metrics';
export { currentCorrelationId, runWithCorrelationId } from './log-context';
export { READINESS_REGISTRY, ReadinessRegistry } from './readiness';
export type { ReadinessCheck } from './readiness';
