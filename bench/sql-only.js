#!/usr/bin/env node
// supagate's SQL engine alone, as a process: what `squawk <migrations>` is compared with.
//
//   node bench/sql-only.js <project-root> [migrations-dir relative to it, default supabase/migrations]
//
// Reads every *.sql of the folder, runs `lintMigrations` over the whole history (the way the
// CLI does) and prints one line: files, statements parsed, diagnostics.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { lintMigrations } from '@supagate/sql-lint';

const root = path.resolve(process.argv[2] ?? '.');
const rel = process.argv[3] ?? 'supabase/migrations';
const dir = path.join(root, rel);
const names = readdirSync(dir)
  .filter((name) => name.endsWith('.sql'))
  .sort();
const files = names.map((name) => ({ path: `${rel}/${name}`, text: readFileSync(path.join(dir, name), 'utf8') }));
const { diagnostics } = await lintMigrations(files, {
  tenantColumn: 'clinic_id',
  tenantTable: 'public.clinics',
  exposedSchemas: ['public', 'graphql_public'],
});
process.stdout.write(`${files.length} files, ${diagnostics.length} diagnostics\n`);
