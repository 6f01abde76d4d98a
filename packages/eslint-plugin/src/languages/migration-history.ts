import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { lintMigrationsSync, type Diagnostic, type MigrationFile, type SqlLintOptions } from '@supagate/sql-lint';

/**
 * Findings of one migration file come from the whole history of its folder: a table
 * created in one file may get its RLS in a later one. ESLint lints file by file, so the
 * history is replayed once per folder state and the result is kept here, for every
 * file of the folder to pick its own findings from.
 *
 * The state of a folder is the name, mtime and size of each `*.sql` in it, plus the
 * text ESLint holds for the file being linted when that differs from the disk (an
 * editor buffer): a run over 500 unchanged files replays the history once; typing in
 * one file replays it once per lint of that buffer.
 *
 * Stating every file of the folder for every linted file would cost n² stats (250,000
 * for 500 migrations), so the folder is re-listed and re-stated only when its own mtime
 * changed (a file added, removed or renamed), when the linted file's mtime or size
 * changed, or when the last full check is older than `RECHECK_MS`. A sibling edited in
 * place on disk is therefore seen at most `RECHECK_MS` late.
 */

/** What the SQL rules read from `settings.supagate` of the flat config. */
export interface SqlSettings {
  tenantColumn?: string;
  tenantTable?: string;
  exposedSchemas?: string[];
  exemptTables?: string[];
  /** Path of supabase/config.toml (absolute or relative to ESLint's cwd); `../config.toml` of the migrations folder when unset. */
  configToml?: string;
}

interface DiskFile {
  mtimeMs: number;
  size: number;
  /** Text without BOM; undefined when unreadable or binary (skipped, as the CLI does). */
  text: string | undefined;
}

interface FolderState {
  files: Map<string, DiskFile>;
  /** `name:mtime:size` of every file, in name order: the disk part of the state key. */
  signature: string;
  dirMtimeMs: number;
  checkedAt: number;
  /** Replays by state key, most recent last; a few are kept so an editor switching buffers does not thrash. */
  results: Map<string, Map<string, Diagnostic[]>>;
}

const MAX_RESULTS_PER_FOLDER = 4;
const RECHECK_MS = 1000;
const folders = new Map<string, FolderState>();
let replays = 0;

/** How many times the history was replayed since load (tests check the cache with it). */
export function replayCount(): number {
  return replays;
}

/** Forgets every cached folder (tests). */
export function clearMigrationCache(): void {
  folders.clear();
  tomlCache.clear();
}

/**
 * The sql-lint diagnostics of `filename` (absolute), whose current text is `text`,
 * computed over every `*.sql` of its folder.
 */
export function migrationDiagnostics(filename: string, text: string, settings: SqlSettings, cwd: string): Diagnostic[] {
  const name = path.basename(filename);
  const current = stripBom(text);
  if (!name.endsWith('.sql')) {
    // Text given to ESLint without a file name: it has no history, lint it alone.
    return lintMigrationsSync([{ path: name, text: current }], optionsFor(filename, settings, cwd)).diagnostics;
  }
  const dir = path.dirname(filename);
  const options = optionsFor(filename, settings, cwd);
  let folder = folders.get(dir);
  if (!folder) {
    folder = { files: new Map<string, DiskFile>(), signature: '', dirMtimeMs: -1, checkedAt: -Infinity, results: new Map() };
    folders.set(dir, folder);
  }
  if (isStale(dir, name, folder)) refresh(dir, folder);

  const disk = folder.files.get(name);
  // The editor buffer of the linted file, when it differs from the disk, is part of the state.
  const override = disk?.text === current ? '' : `${name}#${hash(current)}`;
  const key = `${JSON.stringify(options)}\n${folder.signature}\n${override}`;
  let byFile = folder.results.get(key);
  if (byFile) {
    folder.results.delete(key);
  } else {
    replays++;
    const files: MigrationFile[] = [];
    for (const [file, known] of folder.files) {
      if (file !== name && known.text !== undefined) files.push({ path: file, text: known.text });
    }
    files.push({ path: name, text: current });
    byFile = new Map();
    for (const d of lintMigrationsSync(files, options).diagnostics) {
      const list = byFile.get(d.file);
      if (list) list.push(d);
      else byFile.set(d.file, [d]);
    }
  }
  folder.results.set(key, byFile);
  while (folder.results.size > MAX_RESULTS_PER_FOLDER) folder.results.delete(folder.results.keys().next().value as string);
  return byFile.get(name) ?? [];
}

/** Whether the folder must be re-listed before its cached state can be trusted. */
function isStale(dir: string, name: string, folder: FolderState): boolean {
  if (Date.now() - folder.checkedAt > RECHECK_MS) return true;
  const dirMtime = mtimeOf(dir);
  if (dirMtime !== folder.dirMtimeMs) return true;
  const known = folder.files.get(name);
  let stat;
  try {
    stat = statSync(path.join(dir, name));
  } catch {
    return known !== undefined;
  }
  return !known || known.mtimeMs !== stat.mtimeMs || known.size !== stat.size;
}

function mtimeOf(file: string): number {
  try {
    return statSync(file).mtimeMs;
  } catch {
    return -1;
  }
}

/** Brings the listing of a folder up to date, reading only files whose mtime or size changed. */
function refresh(dir: string, folder: FolderState): void {
  folder.checkedAt = Date.now();
  folder.dirMtimeMs = mtimeOf(dir);
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.sql'));
  } catch {
    names = [];
  }
  const seen = new Set(names);
  for (const known of [...folder.files.keys()]) if (!seen.has(known)) folder.files.delete(known);
  for (const name of names) {
    const full = path.join(dir, name);
    let stat;
    try {
      stat = statSync(full);
    } catch {
      folder.files.delete(name);
      continue;
    }
    if (!stat.isFile()) {
      folder.files.delete(name);
      continue;
    }
    const known = folder.files.get(name);
    if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) continue;
    folder.files.set(name, { mtimeMs: stat.mtimeMs, size: stat.size, text: readText(full) });
  }
  const sorted = [...folder.files].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  folder.files = new Map(sorted);
  folder.signature = sorted.map(([file, f]) => `${file}:${f.mtimeMs}:${f.size}`).join('\n');
}

function readText(file: string): string | undefined {
  try {
    const buffer = readFileSync(file);
    if (buffer.includes(0)) return undefined;
    return stripBom(buffer.toString('utf8'));
  } catch {
    return undefined;
  }
}

function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex');
}

/** Supabase's default `[api] schemas`, as the CLI assumes. */
const DEFAULT_EXPOSED = ['public', 'graphql_public'];

function optionsFor(filename: string, settings: SqlSettings, cwd: string): SqlLintOptions {
  const tomlPath = settings.configToml ? path.resolve(cwd, settings.configToml) : path.join(path.dirname(filename), '..', 'config.toml');
  const fromToml = exposedSchemasOf(tomlPath) ?? DEFAULT_EXPOSED;
  const options: SqlLintOptions = {
    exposedSchemas: [...new Set([...fromToml, ...(settings.exposedSchemas ?? [])])],
  };
  if (settings.tenantColumn) options.tenantColumn = settings.tenantColumn;
  if (settings.tenantTable) options.tenantTable = settings.tenantTable;
  if (settings.exemptTables?.length) options.exemptTables = settings.exemptTables;
  return options;
}

const tomlCache = new Map<string, { mtimeMs: number; schemas: string[] | undefined }>();

/** `[api] schemas` of a supabase/config.toml; undefined when the file is missing, unreadable or does not say. */
function exposedSchemasOf(file: string): string[] | undefined {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
  const cached = tomlCache.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached.schemas;
  let schemas: string[] | undefined;
  try {
    const data = parseToml(readFileSync(file, 'utf8')) as { api?: { schemas?: unknown } };
    const raw = data.api?.schemas;
    schemas = Array.isArray(raw) ? raw.filter((s): s is string => typeof s === 'string') : undefined;
  } catch {
    schemas = undefined;
  }
  tomlCache.set(file, { mtimeMs, schemas });
  return schemas;
}
