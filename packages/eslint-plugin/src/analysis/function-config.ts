import { existsSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { functionNameOf } from './function-path.js';

/** What `supabase/config.toml` says about one edge function. */
export interface FunctionConfig {
  /** Directory name under the functions directory (`supabase/functions/<name>/…`). */
  name: string | null;
  /** Whether the gateway demands a valid JWT before the handler runs. Supabase's default is true. */
  verifyJwt: boolean;
  /** Where `verifyJwt` came from: the `[functions.<name>]` table, or the platform default. */
  source: 'config' | 'default';
  /** The config.toml that was read, when one was found. */
  configPath: string | null;
}

interface ParsedConfig {
  mtimeMs: number;
  functions: Map<string, { verifyJwt?: boolean }>;
}

const configCache = new Map<string, ParsedConfig>();

/** Walks up from the linted file to the nearest `supabase/config.toml` (or `config.toml` inside a `supabase` folder). */
export function findConfigToml(filename: string): string | null {
  let dir = path.dirname(path.resolve(filename));
  for (;;) {
    const candidate = path.join(dir, 'supabase', 'config.toml');
    if (existsSync(candidate)) return candidate;
    if (path.basename(dir) === 'supabase' && existsSync(path.join(dir, 'config.toml'))) return path.join(dir, 'config.toml');
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Reads `[functions.<name>]` tables of a config.toml, cached by path and modification time. Unreadable or invalid files give no entries. */
export function readFunctionsConfig(configPath: string): Map<string, { verifyJwt?: boolean }> {
  let mtimeMs: number;
  try {
    mtimeMs = statSync(configPath).mtimeMs;
  } catch {
    return new Map();
  }
  const cached = configCache.get(configPath);
  if (cached && cached.mtimeMs === mtimeMs) return cached.functions;
  const functions = new Map<string, { verifyJwt?: boolean }>();
  try {
    const parsed = parseToml(readFileSync(configPath, 'utf8')) as Record<string, unknown>;
    const table = parsed.functions;
    if (table && typeof table === 'object') {
      for (const [name, value] of Object.entries(table as Record<string, unknown>)) {
        if (!value || typeof value !== 'object') continue;
        const verify = (value as Record<string, unknown>).verify_jwt;
        functions.set(name, typeof verify === 'boolean' ? { verifyJwt: verify } : {});
      }
    }
  } catch {
    // An invalid config.toml is the CLI's problem to report; here it just says nothing.
  }
  configCache.set(configPath, { mtimeMs, functions });
  return functions;
}

/**
 * `verify_jwt` of the function a file belongs to. `configToml` (from settings) wins over
 * the automatic search; a relative `configToml` is resolved against `cwd`.
 */
export function functionConfigFor(
  filename: string,
  options: { functionsDir?: string; configToml?: string; cwd?: string } = {},
): FunctionConfig {
  const cwd = options.cwd ?? process.cwd();
  const absolute = path.resolve(cwd, filename);
  const name = functionNameOf(absolute, options.functionsDir) ?? functionNameOf(filename, options.functionsDir);
  const configPath = options.configToml ? path.resolve(cwd, options.configToml) : findConfigToml(absolute);
  if (!name || !configPath) return { name, verifyJwt: true, source: 'default', configPath: configPath ?? null };
  const entry = readFunctionsConfig(configPath).get(name);
  if (entry?.verifyJwt === undefined) return { name, verifyJwt: true, source: 'default', configPath };
  return { name, verifyJwt: entry.verifyJwt, source: 'config', configPath };
}
