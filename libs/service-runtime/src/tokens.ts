/** Injection tokens the platform provides to every app module (globally). */
export const SERVICE_CONFIG = Symbol.for('npi.ServiceConfig');
export const LOGGER = Symbol.for('npi.Logger');
export const SERVICE_METRICS = Symbol.for('npi.ServiceMetrics');
