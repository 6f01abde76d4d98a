import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { VERSION } from './version.js';

/**
 * The content-hash cache under `<project>/node_modules/.cache/supagate` (`--no-cache` turns
 * it off). Every key includes the engine fingerprint: supagate's version and the exact
 * build of its packages, so an upgrade or a rebuild never serves stale results.
 */
/** `<project>/node_modules/.cache/supagate`, the conventional place tools keep caches. */
export function cacheDirOf(projectRoot: string): string {
  return path.join(projectRoot, 'node_modules', '.cache', 'supagate');
}

export class Cache {
  readonly dir: string;
  readonly engine: string;
  private stamps?: FileHasher;

  constructor(projectRoot: string) {
    this.dir = cacheDirOf(projectRoot);
    this.engine = engineFingerprint();
  }

  /** Content hashes of files, stat-checked so unchanged files are not read (saved by `flush`). */
  get files(): FileHasher {
    this.stamps ??= new FileHasher(this);
    return this.stamps;
  }

  flush(): void {
    this.stamps?.save();
  }

  key(...parts: unknown[]): string {
    return hash(JSON.stringify([this.engine, ...parts]));
  }

  /** A JSON value stored under `name`, if it was stored with the same key. */
  read<T>(name: string, key: string): T | undefined {
    try {
      const entry = JSON.parse(readFileSync(path.join(this.dir, `${name}.json`), 'utf8')) as { key: string; value: T };
      return entry.key === key ? entry.value : undefined;
    } catch {
      return undefined;
    }
  }

  /** Writes atomically (temp file + rename) so a run killed mid-write leaves no torn entry. */
  write(name: string, key: string, value: unknown): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const file = path.join(this.dir, `${name}.json`);
      const temp = `${file}.${process.pid}.tmp`;
      writeFileSync(temp, JSON.stringify({ key, value }));
      renameSync(temp, file);
    } catch {
      // A read-only checkout still gets a correct (uncached) run.
    }
  }

  /** Location of ESLint's own cache, keyed by engine so a new build starts fresh. */
  eslintCacheFile(): string {
    mkdirSync(this.dir, { recursive: true });
    return path.join(this.dir, `eslint-${this.engine.slice(0, 16)}.json`);
  }
}

export function hash(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

let cachedEngine: string | undefined;

/** Version plus size and mtime of every built file of the engines. */
export function engineFingerprint(): string {
  if (cachedEngine) return cachedEngine;
  const require = createRequire(import.meta.url);
  const parts: string[] = [VERSION];
  for (const pkg of ['@supagate/sql-lint', '@supagate/eslint-plugin']) {
    const entry = require.resolve(pkg);
    parts.push(...statTree(path.dirname(entry)));
  }
  parts.push(...statTree(path.dirname(new URL(import.meta.url).pathname)));
  cachedEngine = hash(parts.join('\n'));
  return cachedEngine;
}

function statTree(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...statTree(full));
    else if (/\.(js|ts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
      const s = statSync(full);
      out.push(`${full}:${s.size}:${s.mtimeMs}`);
    }
  }
  return out.sort();
}

interface FileStamp {
  size: number;
  mtimeMs: number;
  hash: string;
}

/**
 * Content hashes of files, remembered with their size and mtime (as git's index does): a file
 * whose stat did not change is not read again. Keys built from these hashes are content keys.
 */
export class FileHasher {
  private readonly stamps: Record<string, FileStamp>;
  private readonly seen: Record<string, FileStamp> = {};
  private readonly key: string;

  constructor(private readonly cache: Cache | undefined) {
    this.key = cache ? cache.key('file-stamps') : '';
    this.stamps = (cache ? cache.read<Record<string, FileStamp>>('file-stamps', this.key) : undefined) ?? {};
  }

  /** The file's content hash, or null when it cannot be read. */
  hashOf(file: string): string | null {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return null;
    }
    const known = this.stamps[file];
    if (known && known.size === stat.size && known.mtimeMs === stat.mtimeMs) {
      this.seen[file] = known;
      return known.hash;
    }
    try {
      const stamp = { size: stat.size, mtimeMs: stat.mtimeMs, hash: hash(readFileSync(file)) };
      this.seen[file] = stamp;
      return stamp.hash;
    } catch {
      return null;
    }
  }

  save(): void {
    if (this.cache) this.cache.write('file-stamps', this.key, { ...this.stamps, ...this.seen });
  }
}
