import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Secrets the Supabase platform injects into every edge function: they never need
 * `supabase secrets set`. https://supabase.com/docs/guides/functions/secrets
 */
export const PLATFORM_SECRETS = new Set([
  'SUPABASE_URL',
  'SUPABASE_ANON_KEY',
  'SUPABASE_SERVICE_ROLE_KEY',
  'SUPABASE_DB_URL',
  'SUPABASE_PUBLISHABLE_KEYS',
  'SUPABASE_SECRET_KEYS',
  'SUPABASE_JWKS',
  'SB_REGION',
  'SB_EXECUTION_ID',
  'DENO_DEPLOYMENT_ID',
  'DENO_REGION',
]);

export interface DeclarationFile {
  path: string;
  names: Set<string>;
}

const cache = new Map<string, { mtimeMs: number; file: DeclarationFile }>();

/** The functions directory that holds `filename`: the nearest ancestor path ending in `functionsDir`. */
export function functionsRootOf(filename: string, functionsDir = 'supabase/functions'): string | null {
  const normalized = filename.split(path.sep).join('/');
  const marker = `/${functionsDir.replace(/^\/+|\/+$/g, '')}/`;
  const index = normalized.lastIndexOf(marker);
  if (index === -1) return null;
  return normalized.slice(0, index + marker.length - 1);
}

/**
 * Reads the names a dotenv file declares (`NAME=…`, `export NAME=…`; comments and blank
 * lines ignored). Values are never kept: this file may hold real secrets by mistake.
 */
export function readDeclarationFile(file: string): DeclarationFile | null {
  // One stat per file linted (was existsSync + statSync); any error means "not there", as existsSync said.
  let mtimeMs: number;
  try {
    mtimeMs = statSync(file).mtimeMs;
  } catch {
    return null;
  }
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.file;
  const names = new Set<string>();
  for (const raw of readFileSync(file, 'utf8').split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=/.exec(raw);
    if (match) names.add(match[1]);
  }
  const declared = { path: file, names };
  cache.set(file, { mtimeMs, file: declared });
  return declared;
}
