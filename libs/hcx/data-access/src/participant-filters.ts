import type { FilterOperator, ParticipantFilter } from './types';

type Shape = { kind: 'scalar'; sql: string } | { kind: 'array'; elements: string };

const SCALARS: Record<string, string> = {
  participant_code: 'participant_code',
  participant_name: 'name',
  primaryEmail: 'primary_email',
  primaryMobile: 'primary_mobile',
  endpoint_url: 'endpoint_url',
  status: 'status::text',
  scheme_code: `profile->>'scheme_code'`,
};
const ARRAYS: Record<string, string> = {
  roles: 'unnest(roles)',
  linked_registry_codes: `jsonb_array_elements_text(COALESCE(profile->'linked_registry_codes', '[]'::jsonb))`,
  additionalEmail: `jsonb_array_elements_text(COALESCE(profile->'additionalEmail', '[]'::jsonb))`,
  additionalMobile: `jsonb_array_elements_text(COALESCE(profile->'additionalMobile', '[]'::jsonb))`,
  phone: `jsonb_array_elements_text(COALESCE(profile->'phone', '[]'::jsonb))`,
};
const NESTED = /^(address|payment_details)\.([A-Za-z0-9_]{1,64})$/;
const NEGATED: Partial<Record<FilterOperator, FilterOperator>> = { neq: 'eq', notContains: 'contains', notStartsWith: 'startsWith', notEndsWith: 'endsWith' };

const like = (value: string) => value.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * HCX search filters → SQL conditions over a whitelist of columns (values always bound as
 * parameters). Array fields match when any element matches; negated operators match when no element
 * (or no value) does. Text comparisons; contains/startsWith/endsWith/queryString ignore case.
 */
export function participantConditions(filters: readonly ParticipantFilter[], params: unknown[]): string[] {
  const bind = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  return filters.map((filter) => {
    const shape = shapeOf(filter.field, bind);
    const positive = NEGATED[filter.operator] ?? filter.operator;
    const negate = positive !== filter.operator;
    const condition = (expression: string) => operatorSql(expression, positive, filter.value, bind);
    if (shape.kind === 'scalar') {
      const sql = condition(shape.sql);
      return negate ? `(${shape.sql} IS NULL OR NOT (${sql}))` : `(${sql})`;
    }
    const exists = `EXISTS (SELECT 1 FROM ${shape.elements} AS element(v) WHERE ${condition('element.v')})`;
    return negate ? `NOT ${exists}` : exists;
  });
}

function shapeOf(field: string, bind: (value: unknown) => string): Shape {
  if (field in SCALARS) return { kind: 'scalar', sql: SCALARS[field] };
  if (field in ARRAYS) return { kind: 'array', elements: ARRAYS[field] };
  const nested = NESTED.exec(field);
  if (nested) return { kind: 'scalar', sql: `(profile #>> ${bind([nested[1], nested[2]])}::text[])` };
  throw new Error(`unsupported search field ${field}`);
}

function operatorSql(expression: string, operator: FilterOperator, value: string | string[], bind: (value: unknown) => string): string {
  const one = Array.isArray(value) ? String(value[0]) : value;
  switch (operator) {
    case 'eq':
      return `${expression} = ${bind(one)}`;
    case 'contains':
      return `${expression} ILIKE ${bind(`%${like(one)}%`)}`;
    case 'startsWith':
      return `${expression} ILIKE ${bind(`${like(one)}%`)}`;
    case 'endsWith':
      return `${expression} ILIKE ${bind(`%${like(one)}`)}`;
    case 'queryString':
      // `*` any run, `?` one character; everything else literal.
      return `${expression} ILIKE ${bind(like(one).replace(/\*/g, '%').replace(/\?/g, '_'))}`;
    case 'or':
      return `${expression} = ANY(${bind((Array.isArray(value) ? value : [value]).map(String))}::text[])`;
    case 'range': {
      const [low, high] = Array.isArray(value) ? value : [value, value];
      return `${expression} BETWEEN ${bind(String(low))} AND ${bind(String(high))}`;
    }
    case 'gt':
      return `${expression} > ${bind(one)}`;
    case 'lt':
      return `${expression} < ${bind(one)}`;
    case 'gte':
      return `${expression} >= ${bind(one)}`;
    case 'lte':
      return `${expression} <= ${bind(one)}`;
    default:
      throw new Error(`unsupported operator ${operator}`);
  }
}
