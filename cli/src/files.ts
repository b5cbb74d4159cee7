/**
 * Finds what `dcr check` looks at. File reading lives in the CLI, never in core.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, isAbsolute, sep } from 'node:path';
import { fileKindOf } from '../../core/src/index.js';
import { UsageError } from './io.js';

const SKIP_DIRS = new Set(['node_modules']);

export function isCheckable(name: string): boolean {
  return fileKindOf(name) !== null;
}

/**
 * Expands files and folders into a sorted, de-duplicated list of absolute paths. A file
 * named explicitly is always checked; folders contribute only checkable files, skipping
 * node_modules and dot-folders. Symlinked folders are not followed (no cycles).
 */
export function collectFiles(paths: string[], cwd: string): string[] {
  const out = new Set<string>();
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const st = statOrThrow(abs, p);
    if (st.isDirectory()) walk(abs, out);
    else out.add(abs);
  }
  return [...out].sort();
}

function walk(dir: string, out: Set<string>): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch (err) {
    throw new UsageError(`cannot read folder ${dir}: ${reason(err)}`);
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const full = join(dir, e.name);
    if (e.isDirectory()) {
      if (!e.name.startsWith('.') && !SKIP_DIRS.has(e.name)) walk(full, out);
    } else if (isCheckable(e.name)) {
      if (e.isFile()) out.add(full);
      else if (e.isSymbolicLink()) {
        try {
          if (statSync(full).isFile()) out.add(full);
        } catch {
          // A dangling link found while walking is not something the user asked for.
        }
      }
    }
  }
}

function statOrThrow(abs: string, shown: string) {
  try {
    return statSync(abs);
  } catch (err) {
    throw new UsageError(`cannot read ${shown}: ${reason(err)}`);
  }
}

export function readText(abs: string, shown: string): string {
  let text: string;
  try {
    text = readFileSync(abs, 'utf8');
  } catch (err) {
    throw new UsageError(`cannot read ${shown}: ${reason(err)}`);
  }
  // Editors hide the BOM; keeping it would shift every column on the first line by one.
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Paths as a compiler prints them: relative to the working folder when inside it. */
export function displayPath(abs: string, cwd: string): string {
  const rel = relative(cwd, abs);
  if (!rel || rel.startsWith('..') || isAbsolute(rel)) return abs;
  return rel.split(sep).join('/');
}

export function reason(err: unknown): string {
  const e = err as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder';
    default:
      return e instanceof Error ? e.message.split('\n')[0]! : String(err);
  }
}
