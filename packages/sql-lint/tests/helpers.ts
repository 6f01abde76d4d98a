import { lintMigrations } from '../src/index.js';
import type { Diagnostic, SqlLintOptions } from '../src/index.js';

export const M = 'supabase/migrations';

/** Lints migration files given as `{ 'name.sql': sql }` (put under supabase/migrations). */
export async function lint(files: Record<string, string>, options: SqlLintOptions = {}) {
  return lintMigrations(
    Object.entries(files).map(([name, text]) => ({ path: `${M}/${name}`, text })),
    options,
  );
}

/** `ruleId file:line:column` for compact assertions. */
export function where(d: Diagnostic): string {
  return `${d.ruleId} ${d.file.replace(`${M}/`, '')}:${d.line}:${d.column}`;
}

export async function findings(files: Record<string, string>, options: SqlLintOptions = {}, rule?: string): Promise<string[]> {
  const { diagnostics } = await lint(files, options);
  return diagnostics.filter((d) => !rule || d.ruleId === rule).map(where);
}

/** A tenant table with RLS and a member helper, as most fixtures need. */
export const CLINICS = `create table public.clinics (id uuid primary key, name text not null);
alter table public.clinics enable row level security;
create policy "members read their clinic" on public.clinics for select to authenticated using (public.is_clinic_member(id));
`;
