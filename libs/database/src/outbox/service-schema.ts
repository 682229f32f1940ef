export type ServiceSchema = 'auth' | 'session' | 'payment' | 'hcx';
export const SERVICE_SCHEMAS: readonly ServiceSchema[] = ['auth', 'session', 'payment', 'hcx'];

export function outboxTable(schema: ServiceSchema): string {
  if (!SERVICE_SCHEMAS.includes(schema)) throw new Error(`unknown schema ${schema}`);
  return `"${schema}"."outbox_event"`;
}

/** The NOTIFY channel the outbox trigger of `schema` signals on commit (see the outbox_notify migration). */
export function outboxChannel(schema: ServiceSchema): string {
  if (!SERVICE_SCHEMAS.includes(schema)) throw new Error(`unknown schema ${schema}`);
  return `outbox_${schema}`;
}
