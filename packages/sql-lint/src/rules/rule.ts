import type { ParsedFile, SourceRef } from '../parse/statements.js';
import type { SchemaModel, Table } from '../model/schema.js';
import { keyOf } from '../model/schema.js';
import { normaliseIdent, parseQualifiedName, qualifiedName } from '../model/names.js';
import type { Severity, SqlLintOptions } from '../types.js';

export type SqlGate = 'migration' | 'tenant-isolation';

/** What the CLI lists about a rule. */
export interface SqlRuleMeta {
  id: string;
  description: string;
  defaultSeverity: Severity;
  /** Docs page, relative to the repository root: `docs/rules/<id>.md`. */
  docsPath: string;
  gate: SqlGate;
}

/** Options with defaults applied and names normalised. */
export interface ResolvedOptions {
  tenantColumn: string;
  /** Qualified key of the tenant table (`public.clinics`). */
  tenantTable: string;
  exposedSchemas: Set<string>;
  exemptTables: Set<string>;
}

export function resolveOptions(options: SqlLintOptions = {}): ResolvedOptions {
  const tenant = parseQualifiedName(options.tenantTable ?? 'public.clinics');
  return {
    tenantColumn: normaliseIdent(options.tenantColumn ?? 'clinic_id'),
    tenantTable: qualifiedName(tenant.schema, tenant.name),
    exposedSchemas: new Set((options.exposedSchemas ?? ['public']).map(normaliseIdent)),
    exemptTables: new Set(
      (options.exemptTables ?? []).map((t) => {
        const q = parseQualifiedName(t);
        return qualifiedName(q.schema, q.name);
      }),
    ),
  };
}

export interface Report {
  at: SourceRef;
  message: string;
  object?: string;
  /** Overrides the rule's default severity for this finding (sub-problems reported as warnings). */
  severity?: Severity;
}

/** What rules see of a migration file once it has been replayed (its statements are in the model). */
export type CheckedFile = Pick<ParsedFile, 'file' | 'syntaxError'>;

export interface RuleContext {
  model: SchemaModel;
  files: CheckedFile[];
  options: ResolvedOptions;
  report(report: Report): void;
  /** Marks the object being checked, so an exception is attributed to its file. */
  visiting(at: SourceRef): void;
}

export interface SqlRule {
  meta: SqlRuleMeta;
  check(context: RuleContext): void;
}

export function defineRule(
  id: string,
  description: string,
  defaultSeverity: Severity,
  gate: SqlGate,
  check: (context: RuleContext) => void,
): SqlRule {
  return { meta: { id, description, defaultSeverity, docsPath: `docs/rules/${id}.md`, gate }, check };
}

export function isExposed(options: ResolvedOptions, schema: string): boolean {
  return options.exposedSchemas.has(schema);
}

/** Whether a table is covered by the tenant rules. */
export function isTenantScoped(options: ResolvedOptions, table: Table): boolean {
  const key = keyOf(table);
  return isExposed(options, table.schema) && key !== options.tenantTable && !options.exemptTables.has(key);
}
