/**
 * Readable stand-in arguments for a template that no analysis (and no args file) gives values
 * to. The symbolic renderer's sentinels (`p.dcrsym3x`) are made for tracing, not for reading:
 * here every value says what it stands for (`p.STATUS`, `SAMPLE_DB.SCHEMA.SOURCE_TABLE_1`).
 */
import type { ParseResult } from '../jinja/parse.js';
import { freeVariables, inferShapes } from '../jinja/symbolic.js';
import { PyDict, type PyValue } from '../jinja/runtime/values.js';

/** Two items, so a loop over a list argument visibly loops (and shows its separators). */
const LIST_LENGTH = 2;

/**
 * `bare`: arguments the template writes after an alias of its own (`c.{{ col | sqlsafe }}`),
 * which get a bare column name instead of `p.COLUMN`.
 */
export function sampleArguments(parsed: ParseResult, bare: ReadonlySet<string> = new Set()): PyDict {
  const names = freeVariables(parsed.template);
  const shapes = inferShapes(parsed.template, names);
  const args = new PyDict();
  for (const [name, shape] of [...shapes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    let v: PyValue;
    switch (shape) {
      case 'callable':
        continue; // callers never pass functions: leave it undefined, as Snowflake would
      case 'list':
        v = Array.from({ length: LIST_LENGTH }, (_, i) => sampleString(name, i + 1, bare.has(name)));
        break;
      case 'dict':
        v = new PyDict();
        break;
      case 'number':
        v = 100;
        break;
      case 'predicate':
        v = `${aliasFor(name)}.COLUMN = 'VALUE'`;
        break;
      default:
        v = sampleString(name, 0, bare.has(name));
    }
    args.set(name, v);
  }
  return args;
}

function sampleString(name: string, index: number, bare = false): string {
  const suffix = index ? `_${index}` : '';
  if (/table/i.test(name)) return `SAMPLE_DB.SCHEMA.${name.toUpperCase()}${suffix}`;
  return bare ? `${columnWord(name)}${suffix}` : `${aliasFor(name)}.${columnWord(name)}${suffix}`;
}

/** Arguments whose sample landed right after an alias in `sql` (`c.p.COL`): render those bare. */
export function qualifiedTwice(args: PyDict, sql: string): Set<string> {
  const out = new Set<string>();
  for (const [name, value] of args.entries()) {
    const values = Array.isArray(value) ? value : [value];
    for (const v of values) {
      if (typeof v === 'string' && /^[pc]\./.test(v) && new RegExp(`[A-Za-z0-9_]\\.${v.replace(/\./g, '\\.')}\\b`).test(sql)) out.add(String(name));
    }
  }
  return out;
}

/** The alias convention: consumer-side values qualify with `c`, everything else with `p`. */
function aliasFor(name: string): string {
  return name === 'my_table' || /^c_|consumer/i.test(name) ? 'c' : 'p';
}

/** `p_join_col` -> `JOIN_COL`, `dimensions` -> `DIMENSIONS`. */
function columnWord(name: string): string {
  const bare = name.replace(/^[pc]_/i, '');
  return (bare || name).toUpperCase();
}
