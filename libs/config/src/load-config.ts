import { z } from 'zod';

/** Thrown once at startup when configuration is missing or weak; the service refuses to start. */
export class ConfigError extends Error {
  readonly code = 'ERR_CONFIG_INVALID' as const;
  constructor(
    readonly service: string,
    readonly problems: readonly string[],
  ) {
    super(`${service}: invalid configuration, refusing to start:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * Validates the environment against a service's schema, once, at startup. Every problem is listed
 * (by variable name, never by value, since values may be secrets).
 */
export function loadConfig<Schema extends z.ZodTypeAny>(
  service: string,
  schema: Schema,
  env: Environment = process.env,
): z.infer<Schema> {
  const result = schema.safeParse(env);
  if (result.success) return result.data as z.infer<Schema>;
  const problems = result.error.issues.map((issue) => {
    const key = issue.path.join('.') || '(root)';
    return env[key] === undefined || env[key] === '' ? `${key} is required (${issue.message})` : `${key}: ${issue.message}`;
  });
  throw new ConfigError(service, problems);
}
