import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { hash, type Cache } from './cache.js';
import type { Finding } from './findings.js';
import type { Project } from './project.js';
import type { EslintRun, EslintRunOptions } from './run-eslint.js';

type FileResults = Record<string, { key: string; findings: Finding[] }>;

/**
 * Lints sources with ESLint, answering from supagate's own per-file cache first: when every
 * requested file (a pre-commit's staged files) is unchanged since it was last linted with the
 * same settings and engine, ESLint — and typescript-eslint and TypeScript behind it — is never
 * loaded. A full run refreshes the per-file entries so the next pre-commit can hit them.
 */
export async function lintSources(project: Project, options: EslintRunOptions, cache: Cache | undefined): Promise<EslintRun> {
  const { cache: _unused, ...settingsOnly } = options;
  const settingsDigest = hash(JSON.stringify({ ...settingsOnly, files: undefined }));
  const stored = cache?.read<FileResults>('eslint-results', cache.key('eslint-results')) ?? {};
  const keyOf = (rel: string, contentHash: string) => cache!.key('eslint-file', settingsDigest, rel, contentHash);

  if (cache && options.files) {
    const hits: Finding[] = [];
    const misses: string[] = [];
    for (const file of options.files) {
      const rel = path.relative(project.root, file).split(path.sep).join('/');
      const entry = stored[rel];
      const contentHash = cache.files.hashOf(file);
      if (contentHash !== null && entry && entry.key === keyOf(rel, contentHash)) hits.push(...entry.findings);
      else misses.push(file);
    }
    if (misses.length === 0) return { findings: hits, filesLinted: options.files.length, files: [] };
    const fresh = await runAndStore({ ...options, files: misses });
    return { findings: [...hits, ...fresh.findings], filesLinted: options.files.length, files: fresh.files };
  }
  if (!cache) return runAndStore(options);

  // A whole-project run: ESLint decides which files it lints (globs, ignores), so the files it
  // linted last time are remembered with the project's file listing. Same listing, same
  // settings and every one of those files unchanged: the answer is the stored one, and ESLint
  // is not loaded (1 s of module loading on this machine, the bulk of a cached run).
  const listingKey = cache.key('eslint-full', settingsDigest, listProjectFiles(project));
  const previous = cache.read<string[]>('eslint-full', listingKey);
  if (previous) {
    const hits: Finding[] = [];
    let complete = true;
    for (const rel of previous) {
      const entry = stored[rel];
      const contentHash = cache.files.hashOf(path.join(project.root, rel));
      if (contentHash === null || !entry || entry.key !== keyOf(rel, contentHash)) {
        complete = false;
        break;
      }
      hits.push(...entry.findings);
    }
    if (complete) return { findings: hits, filesLinted: previous.length, files: previous };
  }
  const result = await runAndStore(options);
  cache.write('eslint-full', listingKey, result.files);
  return result;

  async function runAndStore(run: EslintRunOptions): Promise<EslintRun> {
    const { runEslint } = await import('./run-eslint.js');
    const result = await runEslint(project, run);
    if (!cache) return result;
    const byFile = new Map<string, Finding[]>();
    for (const f of result.findings) byFile.set(f.file, [...(byFile.get(f.file) ?? []), f]);
    // Files asked for but not linted (ignored, not matched) are remembered as clean too.
    const linted = new Set([...result.files, ...(run.files ?? []).map((f) => path.relative(project.root, f).split(path.sep).join('/'))]);
    for (const rel of linted) {
      const contentHash = cache.files.hashOf(path.join(project.root, rel));
      if (contentHash === null) delete stored[rel];
      else stored[rel] = { key: keyOf(rel, contentHash), findings: byFile.get(rel) ?? [] };
    }
    cache.write('eslint-results', cache.key('eslint-results'), stored);
    return result;
  }
}

/**
 * Every file path under the project (not its contents), except what ESLint never lints here:
 * dependencies, dot-folders and the migrations. Adding, removing or renaming any other file
 * changes it, so a new source file is never missed.
 */
function listProjectFiles(project: Project): string[] {
  const out: string[] = [];
  const migrations = path.resolve(project.migrationsDir);
  const visit = (dir: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (full !== migrations) visit(full);
      } else out.push(path.relative(project.root, full).split(path.sep).join('/'));
    }
  };
  visit(project.root);
  return out.sort();
}
