import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { UsageError } from './errors.js';

/** What `supabase/config.toml` says that supagate cares about. */
export interface SupabaseConfig {
  /** `[api] schemas`: exposed through the Data API. */
  exposedSchemas: string[];
  /** `[functions.<name>] verify_jwt` where it is set. */
  verifyJwt: Record<string, boolean>;
  /** Problem reading the file, reported as a finding rather than stopping the run. */
  error?: { message: string; line: number; column: number };
}

export interface Project {
  /** As the user gave it (for the report). */
  rootArg: string;
  root: string;
  supabaseDir: string | null;
  functionsDir: string;
  migrationsDir: string;
  configTomlPath: string | null;
  config: SupabaseConfig;
}

const DEFAULT_CONFIG: SupabaseConfig = { exposedSchemas: ['public', 'graphql_public'], verifyJwt: {} };

export function discoverProject(
  rootArg: string,
  dirs: { functionsDir?: string; migrationsDir?: string; configured?: boolean } = {},
): Project {
  const root = path.resolve(rootArg);
  if (!existsSync(root)) throw new UsageError(`directory not found: ${rootArg}`);
  if (!statSync(root).isDirectory()) throw new UsageError(`not a directory: ${rootArg}`);
  const supabaseDir = path.join(root, 'supabase');
  const hasSupabase = existsSync(supabaseDir) && statSync(supabaseDir).isDirectory();
  // A project that configured supagate is gated even before it has a supabase/ folder.
  const configured = dirs.configured || dirs.functionsDir !== undefined || dirs.migrationsDir !== undefined;
  if (!hasSupabase && !configured) {
    throw new UsageError(`no supabase/ directory in ${rootArg}: point supagate at the project root (the folder \`supabase init\` ran in)`);
  }
  const configTomlPath = hasSupabase && existsSync(path.join(supabaseDir, 'config.toml')) ? path.join(supabaseDir, 'config.toml') : null;
  return {
    rootArg,
    root,
    supabaseDir: hasSupabase ? supabaseDir : null,
    functionsDir: path.resolve(root, dirs.functionsDir ?? 'supabase/functions'),
    migrationsDir: path.resolve(root, dirs.migrationsDir ?? 'supabase/migrations'),
    configTomlPath,
    config: configTomlPath ? readSupabaseConfig(configTomlPath) : DEFAULT_CONFIG,
  };
}

export function readSupabaseConfig(file: string): SupabaseConfig {
  let data: Record<string, unknown>;
  try {
    data = parseToml(readFileSync(file, 'utf8')) as Record<string, unknown>;
  } catch (error) {
    const e = error as { message?: string; line?: number; column?: number };
    return {
      ...DEFAULT_CONFIG,
      error: { message: firstLine(e.message ?? String(error)), line: e.line ?? 1, column: e.column ?? 1 },
    };
  }
  const api = (data.api ?? {}) as { schemas?: unknown };
  const exposedSchemas = Array.isArray(api.schemas) ? api.schemas.filter((s): s is string => typeof s === 'string') : DEFAULT_CONFIG.exposedSchemas;
  const verifyJwt: Record<string, boolean> = {};
  const functions = (data.functions ?? {}) as Record<string, { verify_jwt?: unknown }>;
  for (const [name, settings] of Object.entries(functions)) {
    if (settings && typeof settings.verify_jwt === 'boolean') verifyJwt[name] = settings.verify_jwt;
  }
  return { exposedSchemas, verifyJwt };
}

/** Migration files in the order Supabase applies them: by file name (the timestamp prefix). */
export function listMigrations(project: Project): string[] {
  if (!existsSync(project.migrationsDir)) return [];
  return readdirSync(project.migrationsDir)
    .filter((name) => name.endsWith('.sql'))
    .sort()
    .map((name) => path.join(project.migrationsDir, name));
}

/** Names of edge functions: directories under supabase/functions, except shared ones (`_shared`, `.x`). */
export function listFunctionNames(project: Project): string[] {
  if (!existsSync(project.functionsDir)) return [];
  return readdirSync(project.functionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('_') && !d.name.startsWith('.'))
    .map((d) => d.name)
    .sort();
}

export function toRelative(project: Project, file: string): string {
  return path.relative(project.root, file).split(path.sep).join('/');
}

function firstLine(text: string): string {
  return text.split('\n')[0].trim();
}
