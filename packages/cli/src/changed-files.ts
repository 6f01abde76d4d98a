import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { UsageError } from './errors.js';

/**
 * Files git reports as staged (`--staged`) or changed since a ref (`--changed-since`),
 * absolute. Deleted files are left out: there is nothing to lint.
 */
export function changedFiles(root: string, mode: { staged: true } | { since: string }): string[] {
  const top = git(root, ['rev-parse', '--show-toplevel']).trim();
  let args: string[];
  if ('staged' in mode) {
    args = ['diff', '--cached', '--name-only', '--diff-filter=ACMR', '-z'];
  } else {
    // Against the merge base, like a pull request's diff, plus uncommitted work.
    const base = git(root, ['merge-base', mode.since, 'HEAD']).trim();
    args = ['diff', '--name-only', '--diff-filter=ACMR', '-z', base];
  }
  return git(root, args)
    .split('\0')
    .filter(Boolean)
    .map((rel) => path.join(top, rel));
}

function git(cwd: string, args: string[]): string {
  try {
    return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const stderr = String((error as { stderr?: unknown }).stderr ?? '').split('\n')[0].trim();
    throw new UsageError(`git ${args[0]} failed in ${cwd}: ${stderr || (error as Error).message.split('\n')[0]}`);
  }
}
