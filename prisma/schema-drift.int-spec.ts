/**
 * The migrated database must match prisma/schema exactly (no drift): every model, column, type,
 * nullability, primary key, unique and plain index, enum and foreign key, and nothing extra.
 * Migrations are hand-written SQL (ADR 0002), so this test is what keeps them honest.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Client } from 'pg';
import { get_dmmf } from '@prisma/prisma-schema-wasm';

interface DmmfField {
  name: string;
  dbName?: string | null;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isList: boolean;
  isRequired: boolean;
  nativeType?: [string, string[]] | null;
  relationFromFields?: string[];
}
interface DmmfModel {
  name: string;
  dbName: string | null;
  schema: string | null;
  fields: DmmfField[];
  primaryKey: { fields: string[] } | null;
}
interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  dbName?: string | null;
  fields: { name: string }[];
}
interface DmmfEnum {
  name: string;
  dbName?: string | null;
  schema?: string | null;
  values: { name: string; dbName?: string | null }[];
}

const schemaDir = path.join(__dirname, 'schema');
const files = fs.readdirSync(schemaDir).filter((f) => f.endsWith('.prisma')).map((f) => [f, fs.readFileSync(path.join(schemaDir, f), 'utf8')]);
const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: files }))) as {
  datamodel: { models: DmmfModel[]; enums: DmmfEnum[]; indexes: DmmfIndex[] };
};
const SCHEMAS = ['auth', 'session', 'payment', 'hcx'];

function expectedType(field: DmmfField, enums: Map<string, DmmfEnum>): string {
  const native = field.nativeType ? `${field.nativeType[0]}(${field.nativeType[1].join(',')})` : undefined;
  if (field.kind === 'enum') return `enum:${enums.get(field.type)?.dbName ?? field.type}`;
  const byNative: Record<string, string> = {
    Uuid: 'uuid', Text: 'text', Inet: 'inet', Citext: 'citext', SmallInt: 'smallint', Date: 'date', ByteA: 'bytea',
  };
  if (field.nativeType) {
    const [name, args] = field.nativeType;
    if (byNative[name]) return byNative[name];
    if (name === 'VarChar') return `character varying(${args[0] ?? ''})`;
    if (name === 'Char') return `character(${args[0] ?? ''})`;
    if (name === 'Timestamptz') return `timestamp with time zone(${args[0] ?? 6})`;
    if (name === 'Timestamp') return `timestamp without time zone(${args[0] ?? 6})`;
    if (name === 'Decimal') return `numeric(${args[0]},${args[1]})`;
    throw new Error(`unmapped native type ${native} on ${field.name}`);
  }
  const byScalar: Record<string, string> = {
    String: 'text', Int: 'integer', BigInt: 'bigint', Boolean: 'boolean', Float: 'double precision',
    DateTime: 'timestamp without time zone(3)', Json: 'jsonb', Bytes: 'bytea', Decimal: 'numeric(65,30)',
  };
  return byScalar[field.type];
}

describe('prisma schema vs migrated database', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
  });
  afterAll(async () => client.end());

  async function columns(schema: string, table: string) {
    const { rows } = await client.query<{ column_name: string; data_type: string; udt_name: string; is_nullable: string; character_maximum_length: number | null; datetime_precision: number | null; numeric_precision: number | null; numeric_scale: number | null }>(
      `SELECT column_name, data_type, udt_name, is_nullable, character_maximum_length, datetime_precision, numeric_precision, numeric_scale
       FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2`,
      [schema, table],
    );
    return new Map(rows.map((row) => {
      let type = row.data_type;
      if (type === 'USER-DEFINED') type = `enum:${row.udt_name}`;
      else if (type === 'ARRAY') type = `array:${row.udt_name.replace(/^_/, '')}`;
      else if (type.startsWith('timestamp')) type = `${type}(${row.datetime_precision})`;
      else if (type === 'character varying' || type === 'character') type = `${type}(${row.character_maximum_length ?? ''})`;
      else if (type === 'numeric') type = `numeric(${row.numeric_precision},${row.numeric_scale})`;
      return [row.column_name, { type, nullable: row.is_nullable === 'YES' }];
    }));
  }

  it('has exactly the tables of the schema', async () => {
    const { rows } = await client.query<{ table_schema: string; table_name: string }>(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_schema = ANY($1) AND table_type = 'BASE TABLE'`,
      [SCHEMAS],
    );
    const actual = rows.map((r) => `${r.table_schema}.${r.table_name}`).sort();
    const expected = dmmf.datamodel.models.map((m) => `${m.schema}.${m.dbName ?? m.name}`).sort();
    expect(actual).toEqual(expected);
  });

  describe.each(dmmf.datamodel.models.map((m) => [m.name, m] as const))('model %s', (_name, model) => {
    const enums = new Map(dmmf.datamodel.enums.map((e) => [e.name, e]));
    const table = model.dbName ?? model.name;
    const column = (fieldName: string) => {
      const field = model.fields.find((f) => f.name === fieldName)!;
      return field.dbName ?? field.name;
    };

    it('has the same columns, types and nullability', async () => {
      const actual = await columns(model.schema!, table);
      const expected = new Map<string, { type: string; nullable: boolean }>();
      for (const field of model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum')) {
        const base = expectedType(field, enums);
        const type = field.isList ? `array:${base.replace(/^enum:/, '').replace(/^text$/, 'text')}` : base;
        // Prisma's own migrations create scalar lists as nullable arrays (`TEXT[]`).
        expected.set(field.dbName ?? field.name, { type, nullable: field.isList || !field.isRequired });
      }
      const normalise = (map: Map<string, { type: string; nullable: boolean }>) =>
        Object.fromEntries([...map].sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, `${v.type}${v.nullable ? ' NULL' : ' NOT NULL'}`]));
      expect(normalise(actual)).toEqual(normalise(expected));
    });

    it('has the same primary key, unique and plain indexes', async () => {
      const indexes = dmmf.datamodel.indexes.filter((i) => i.model === model.name);
      const { rows } = await client.query<{ indexname: string; indexdef: string }>(
        'SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = $2',
        [model.schema, table],
      );
      const actual = rows.map((row) => {
        const unique = /CREATE UNIQUE INDEX/.test(row.indexdef);
        const cols = /\((.*)\)\s*$/.exec(row.indexdef)![1].split(',').map((c) => c.trim().replace(/"/g, '').replace(/ (ASC|DESC)$/i, ''));
        return `${unique ? 'unique' : 'normal'}(${cols.join(',')})`;
      });
      const expected = indexes.map((index) => {
        const unique = index.type === 'id' || index.type === 'unique';
        return `${unique ? 'unique' : 'normal'}(${index.fields.map((f) => column(f.name)).join(',')})`;
      });
      expect(actual.sort()).toEqual(expected.sort());
      const pk = await client.query<{ constraint_name: string }>(
        `SELECT constraint_name FROM information_schema.table_constraints WHERE table_schema = $1 AND table_name = $2 AND constraint_type = 'PRIMARY KEY'`,
        [model.schema, table],
      );
      expect(pk.rows).toHaveLength(1);
    });

    it('has the same foreign keys', async () => {
      const expected = model.fields
        .filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0)
        .map((f) => {
          const target = dmmf.datamodel.models.find((m) => m.name === f.type)!;
          return `${f.relationFromFields!.map(column).join(',')}->${target.schema}.${target.dbName ?? target.name}`;
        })
        .sort();
      const { rows } = await client.query<{ cols: string; target: string }>(
        `SELECT string_agg(a.attname, ',' ORDER BY k.ord) AS cols, tn.nspname || '.' || t.relname AS target
         FROM pg_constraint c
         JOIN pg_class r ON r.oid = c.conrelid JOIN pg_namespace rn ON rn.oid = r.relnamespace
         JOIN pg_class t ON t.oid = c.confrelid JOIN pg_namespace tn ON tn.oid = t.relnamespace
         CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
         JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
         WHERE c.contype = 'f' AND rn.nspname = $1 AND r.relname = $2 GROUP BY c.oid, tn.nspname, t.relname`,
        [model.schema, table],
      );
      expect(rows.map((r) => `${r.cols}->${r.target}`).sort()).toEqual(expected);
    });
  });

  it('has the same enums and values', async () => {
    const { rows } = await client.query<{ schema: string; name: string; values: string[] }>(
      `SELECT n.nspname AS schema, t.typname AS name, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS values
       FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid JOIN pg_namespace n ON n.oid = t.typnamespace
       WHERE n.nspname = ANY($1) GROUP BY n.nspname, t.typname`,
      [SCHEMAS],
    );
    const actual = rows.map((r) => `${r.schema}.${r.name}=${r.values.join('|')}`).sort();
    // DMMF does not say an enum's schema; it lives in the schema of the models that use it.
    const schemaOf = (e: DmmfEnum) => e.schema ?? dmmf.datamodel.models.find((m) => m.fields.some((f) => f.kind === 'enum' && f.type === e.name))?.schema;
    const expected = dmmf.datamodel.enums.map((e) => `${schemaOf(e)}.${e.dbName ?? e.name}=${e.values.map((v) => v.dbName ?? v.name).join('|')}`).sort();
    expect(actual).toEqual(expected);
  });

  it('records every migration in _prisma_migrations as prisma migrate deploy does', async () => {
    const dirs = fs.readdirSync(path.join(__dirname, 'migrations')).filter((d) => /^\d{14}_/.test(d)).sort();
    const { rows } = await client.query<{ migration_name: string; finished_at: Date | null; checksum: string }>(
      'SELECT migration_name, finished_at, checksum FROM "_prisma_migrations" ORDER BY migration_name',
    );
    expect(rows.map((r) => r.migration_name)).toEqual(dirs);
    for (const row of rows) {
      expect(row.finished_at).not.toBeNull();
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
    }
  });
});
