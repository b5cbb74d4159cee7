/**
 * Shared loading of the conformance cases and goldens (used by the conformance test, the fuzz
 * test's mutation seeds and the attack suite's health check). No Python here: the goldens
 * are committed and produced by oracle.py.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArguments } from '../../core/src/index.js';
import { PyDict } from '../../core/src/index.js';
import type { PyValue } from '../../core/src/index.js';

export const CONFORMANCE_DIR = dirname(fileURLToPath(import.meta.url));

export interface Case {
  id: string;
  category: string;
  template: string;
  /** Parsed with parseArguments from the case file's JSON text, so 3.0 stays a float. */
  context: PyDict;
  jinjasql: boolean;
}

export type Golden =
  | { error: { type: string; message: string } }
  | { output: string; query?: undefined; binds?: undefined }
  | { output: string; query: string; binds: [string, string][] };

function field(d: PyValue, key: string): PyValue | undefined {
  if (!(d instanceof PyDict)) throw new Error('conformance: a case is not a JSON object');
  return d.get(key);
}

/** The case files, read by category (file name without .json), in file order. */
export function loadCases(): Case[] {
  const dir = join(CONFORMANCE_DIR, 'cases');
  const out: Case[] = [];
  for (const name of readdirSync(dir)
    .filter(n => n.endsWith('.json'))
    .sort()) {
    const parsed = parseArguments(readFileSync(join(dir, name), 'utf8'));
    if (!Array.isArray(parsed)) throw new Error(`conformance: ${name} is not a JSON array`);
    for (const c of parsed) {
      const t = field(c, 'template');
      const template = Array.isArray(t) ? t.map(String).join('\n') : String(t);
      const context = field(c, 'context');
      if (!(context instanceof PyDict)) throw new Error(`conformance: ${name}: context is not an object`);
      out.push({
        id: String(field(c, 'id')),
        category: String(field(c, 'category')),
        template,
        context,
        jinjasql: field(c, 'jinjasql') === true,
      });
    }
  }
  return out;
}

export function loadGoldens(): Map<string, Golden> {
  const dir = join(CONFORMANCE_DIR, 'golden');
  const out = new Map<string, Golden>();
  for (const name of readdirSync(dir)
    .filter(n => n.endsWith('.json'))
    .sort()) {
    const g = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Record<string, Golden>;
    for (const [id, v] of Object.entries(g)) out.set(id, v);
  }
  return out;
}

export function loadKnownDifferences(): Record<string, string> {
  return JSON.parse(readFileSync(join(CONFORMANCE_DIR, 'known-differences.json'), 'utf8')) as Record<string, string>;
}

/** A short, one-line description of where two strings first differ. */
export function firstDifference(expected: string, actual: string): string {
  let i = 0;
  while (i < expected.length && i < actual.length && expected[i] === actual[i]) i++;
  const from = Math.max(0, i - 25);
  const show = (s: string) => JSON.stringify(s.slice(from, i + 35));
  return `at ${i}: expected …${show(expected)}… got …${show(actual)}…`;
}
