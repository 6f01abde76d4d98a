import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { ModuleInventory } from '@supagate/eslint-plugin';
import { PLATFORM_SECRETS, readDeclarationFile } from '@supagate/eslint-plugin/light';
import { hash, type Cache } from './cache.js';
import { listFunctionNames, type Project } from './project.js';


export interface FunctionInventory {
  name: string;
  /** How requests reach the code; empty when no handler could be found. */
  handler: string[];
  /** `verify_jwt` as deployed: true unless config.toml turns it off. */
  verifyJwt: boolean;
  verification: string[];
  tablesRead: string[];
  tablesWritten: string[];
  rpc: string[];
  /** `service-role` when any query goes through an RLS-bypassing client. */
  clients: string[];
  hosts: string[];
  secrets: string[];
  sdks: string[];
}

export interface Inventory {
  functions: FunctionInventory[];
  secrets: {
    /** Every name read with Deno.env.get across functions and shared modules, minus platform ones. */
    read: string[];
    declared: string[];
    undeclared: string[];
    /** The declaration file, relative to the root, or null when there is none. */
    declarationFile: string | null;
  };
}

const SOURCE = /\.(ts|tsx|js|jsx|mjs|mts)$/;

/** The integration map: one entry per edge function, from its own files and the `_shared` modules it imports. */
export async function buildInventory(project: Project, secretsFile = '.env.example', cache?: Cache): Promise<Inventory> {
  const memo = new ModuleMemo(cache);
  const names = listFunctionNames(project);
  const shared = sharedDirs(project);
  await memo.prepare([...names.map((n) => path.join(project.functionsDir, n)), ...shared].flatMap(sourceFiles));
  const inventoryOf = (file: string) => memo.get(file);
  const functions: FunctionInventory[] = [];
  const allSecrets = new Set<string>();
  for (const name of names) {
    const dir = path.join(project.functionsDir, name);
    const modules = sourceFiles(dir)
      .map(inventoryOf)
      .filter((m): m is ModuleInventory => m !== null);
    const merged = merge(modules);
    merged.secrets.forEach((s) => allSecrets.add(s));
    functions.push({ name, handler: merged.handlers, verifyJwt: project.config.verifyJwt[name] ?? true, ...pick(merged) });
  }
  for (const dir of shared) {
    for (const file of sourceFiles(dir)) inventoryOf(file)?.secrets.forEach((s) => allSecrets.add(s));
  }
  memo.save();
  const declarationPath = path.join(project.functionsDir, secretsFile);
  const declaration = readDeclarationFile(declarationPath);
  const declared = declaration ? [...declaration.names].sort() : [];
  const read = [...allSecrets].filter((s) => !PLATFORM_SECRETS.has(s)).sort();
  return {
    functions,
    secrets: {
      read,
      declared,
      undeclared: read.filter((s) => !declared.includes(s)),
      declarationFile: declaration ? path.relative(project.root, declarationPath).split(path.sep).join('/') : null,
    },
  };
}

function pick(m: ModuleInventory) {
  const { verification, tablesRead, tablesWritten, rpc, clients, hosts, sdks } = m;
  return { verification, tablesRead, tablesWritten, rpc, clients, hosts, secrets: m.secrets.filter((s) => !PLATFORM_SECRETS.has(s)), sdks };
}

function merge(modules: ModuleInventory[]): ModuleInventory {
  const union = (key: keyof ModuleInventory) => [...new Set(modules.flatMap((m) => m[key] as string[]))].sort();
  return {
    handlers: [...new Set(modules.flatMap((m) => m.handlers))],
    verification: union('verification'),
    tablesRead: union('tablesRead'),
    tablesWritten: union('tablesWritten'),
    rpc: union('rpc'),
    clients: union('clients') as ModuleInventory['clients'],
    hosts: union('hosts'),
    secrets: union('secrets'),
    sdks: union('sdks'),
  };
}

function sharedDirs(project: Project): string[] {
  if (!existsSync(project.functionsDir)) return [];
  return readdirSync(project.functionsDir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name.startsWith('_'))
    .map((d) => path.join(project.functionsDir, d.name));
}

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (SOURCE.test(entry.name) && !/\.(test|spec)\.[jt]sx?$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out.sort();
}

function readSafe(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

/** Per-module maps keyed by content hash: only edited files are parsed again. */
class ModuleMemo {
  private readonly key: string | undefined;
  private readonly stored: Record<string, ModuleInventory | null>;
  private readonly used: Record<string, ModuleInventory | null> = {};
  private readonly ids = new Map<string, string>();
  private changed = false;

  constructor(private readonly cache: Cache | undefined) {
    this.key = cache?.key('inventory');
    this.stored = (cache && this.key ? cache.read<Record<string, ModuleInventory | null>>('inventory', this.key) : undefined) ?? {};
  }

  /**
   * Maps every module not in the cache. The parser (typescript-eslint, TypeScript) is loaded
   * only when there is one: a run answered from cache never loads it.
   */
  async prepare(files: string[]): Promise<void> {
    const missing: Array<{ file: string; id: string; text: string }> = [];
    for (const file of files) {
      const contentHash = this.cache ? this.cache.files.hashOf(file) : null;
      const text = contentHash === null ? readSafe(file) : null;
      const id = `${path.extname(file)}:${contentHash ?? hash(text ?? '')}`;
      this.ids.set(file, id);
      if (!(id in this.stored)) missing.push({ file, id, text: text ?? readSafe(file) });
    }
    if (missing.length === 0) return;
    const { inventoryOfSource } = await import('@supagate/eslint-plugin');
    for (const { file, id, text } of missing) this.stored[id] = inventoryOfSource(text, file);
    this.changed = true;
  }

  get(file: string): ModuleInventory | null {
    const id = this.ids.get(file);
    if (id === undefined || !(id in this.stored)) return null;
    this.used[id] = this.stored[id];
    return this.stored[id];
  }

  /** Keeps only the modules of this run, so the entry does not grow forever. */
  save(): void {
    if (this.cache && this.key && (this.changed || Object.keys(this.used).length !== Object.keys(this.stored).length)) {
      this.cache.write('inventory', this.key, this.used);
    }
  }
}
