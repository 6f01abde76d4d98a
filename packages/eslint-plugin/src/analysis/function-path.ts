/**
 * Name of the edge function a file belongs to: the directory right under the functions
 * directory (`supabase/functions/whatsapp-webhook/index.ts` → `whatsapp-webhook`).
 * Shared folders (`_shared`, names starting with `_` or `.`) and files outside the functions
 * directory have none. Works with either path separator.
 */
export function functionNameOf(filename: string, functionsDir = 'supabase/functions'): string | null {
  const rest = pathInsideFunctions(filename, functionsDir);
  if (!rest || rest.length < 2) return null; // a file directly in the functions directory
  const name = rest[0];
  if (!name || name.startsWith('_') || name.startsWith('.')) return null;
  return name;
}

/** True for the file Supabase runs: `supabase/functions/<name>/index.{ts,js,tsx,jsx,mjs}`. */
export function isFunctionEntrypoint(filename: string, functionsDir = 'supabase/functions'): boolean {
  const rest = pathInsideFunctions(filename, functionsDir);
  return !!rest && rest.length === 2 && functionNameOf(filename, functionsDir) !== null && /^index\.(ts|tsx|js|jsx|mjs)$/.test(rest[1]);
}

/** Path segments after the functions directory, or null when the file is not under it. */
function pathInsideFunctions(filename: string, functionsDir: string): string[] | null {
  const normalized = filename.replace(/\\/g, '/');
  const dir = functionsDir.replace(/\\/g, '/').replace(/^\.\/+/, '').replace(/\/+$/, '');
  const marker = `/${dir}/`;
  const padded = normalized.startsWith('/') ? normalized : `/${normalized}`;
  const at = padded.lastIndexOf(marker);
  if (at < 0) return null;
  return padded.slice(at + marker.length).split('/');
}
