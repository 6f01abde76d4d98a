import type { AstNode, SourceRef, Statement } from '../parse/statements.js';
import { qualifiedName } from './names.js';

export type { SourceRef };

/** A reference from one object to a relation, kept by identity so later renames follow it. */
export interface RelationRef {
  /** The model object when the relation was known at the time. */
  target?: Table | View;
  /** Qualified name as resolved when the reference was made (used when `target` is unknown). */
  name: string;
}

export interface Column {
  name: string;
  notNull: boolean;
  /** Foreign keys from this column. */
  references: RelationRef[];
  createdAt: SourceRef;
  /** The statement that last changed nullability or foreign keys. */
  changedAt: SourceRef;
}

export type PolicyCommand = 'all' | 'select' | 'insert' | 'update' | 'delete';

export interface Policy {
  name: string;
  table: Table;
  command: PolicyCommand;
  /** Role names; `public` when the policy names no role. */
  roles: string[];
  permissive: boolean;
  /** USING expression AST (libpg-query node), if any. */
  using?: AstNode;
  /** WITH CHECK expression AST, if any. */
  withCheck?: AstNode;
  usingText?: string;
  withCheckText?: string;
  createdAt: SourceRef;
  changedAt: SourceRef;
}

export interface Table {
  type: 'table';
  schema: string;
  name: string;
  /** `partitioned` for `PARTITION BY`, `partition` for `PARTITION OF`, `as-select` for CTAS. */
  variant: 'table' | 'partitioned' | 'partition' | 'as-select' | 'foreign';
  columns: Map<string, Column>;
  /** False when some columns could not be known (CTAS over `*` of an unknown relation, `LIKE` of one). */
  columnsKnown: boolean;
  rls: boolean;
  forceRls: boolean;
  /** The last `ENABLE`/`DISABLE ROW LEVEL SECURITY`. */
  rlsChangedAt?: SourceRef;
  policies: Map<string, Policy>;
  parent?: RelationRef;
  createdAt: SourceRef;
  changedAt: SourceRef;
}

export interface View {
  type: 'view';
  schema: string;
  name: string;
  materialized: boolean;
  securityInvoker: boolean;
  /** Relations the view's query reads. */
  sources: RelationRef[];
  createdAt: SourceRef;
  /** The statement that last set the view's query or options. */
  changedAt: SourceRef;
}

export interface SqlFunction {
  schema: string;
  name: string;
  /** Argument types, e.g. `uuid, text`. */
  args: string;
  kind: 'function' | 'procedure';
  language: string;
  securityDefiner: boolean;
  /** The `SET search_path` value, or undefined when the function does not pin it. */
  searchPath?: string;
  /** Body text (plpgsql or SQL), for rules that look into helpers. */
  body: string;
  createdAt: SourceRef;
  changedAt: SourceRef;
}

export interface SchemaInfo {
  name: string;
  createdAt?: SourceRef;
}

/** The database as the replayed migration history leaves it. Keys are qualified names (`public.payments`). */
export interface SchemaModel {
  tables: Map<string, Table>;
  views: Map<string, View>;
  /** Keyed by `schema.name(args)`. */
  functions: Map<string, SqlFunction>;
  schemas: Map<string, SchemaInfo>;
  /** Statements whose effect could not be seen (DO blocks with dynamic SQL, EXECUTE). */
  opaque: Statement[];
}

export function createModel(): SchemaModel {
  const schemas = new Map<string, SchemaInfo>();
  for (const name of ['public', 'auth', 'storage', 'extensions', 'pg_catalog']) schemas.set(name, { name });
  return { tables: new Map(), views: new Map(), functions: new Map(), schemas, opaque: [] };
}

export function keyOf(object: { schema: string; name: string }): string {
  return qualifiedName(object.schema, object.name);
}

/** Current qualified name of a referenced relation (follows renames). */
export function refName(ref: RelationRef): string {
  return ref.target ? keyOf(ref.target) : ref.name;
}

/** Tables that carry the tenant column, by qualified name — what the CLI passes to the ESLint rules. */
export function tenantTables(model: SchemaModel, tenantColumn = 'clinic_id'): string[] {
  return [...model.tables.values()]
    .filter((t) => t.columns.has(tenantColumn))
    .map(keyOf)
    .sort();
}
