import path from 'node:path';

/**
 * The edge function a file belongs to: `…/supabase/functions/<name>/…` → `<name>`.
 * Shared code (`_shared/`) and files outside the functions directory have none.
 */
export function functionNameOf(filename: string, functionsDir = 'supabase/functions'): string | null {
  const normalized = filename.split(path.sep).join('/');
  const marker = `${functionsDir.replace(/\/+$/, '')}/`;
  const index = normalized.lastIndexOf(marker);
  if (index === -1) return null;
  const rest = normalized.slice(index + marker.length).split('/');
  if (rest.length < 2) return null;
  const name = rest[0];
  return name.startsWith('_') || name.startsWith('.') ? null : name;
}

/** True for the file Supabase runs: `supabase/functions/<name>/index.{ts,js,tsx,jsx,mjs}`. */
export function isFunctionEntrypoint(filename: string, functionsDir = 'supabase/functions'): boolean {
  if (!functionNameOf(filename, functionsDir)) return false;
  const normalized = filename.split(path.sep).join('/');
  const marker = `${functionsDir.replace(/\/+$/, '')}/`;
  const rest = normalized.slice(normalized.lastIndexOf(marker) + marker.length).split('/');
  return rest.length === 2 && /^index\.(ts|tsx|js|jsx|mjs)$/.test(rest[1]);
}
