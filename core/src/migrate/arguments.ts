/** Analysis arguments: their strings, alias prefixes, JSON text and what a migration changed. */
import { Markup, PyBigInt, PyDict, PyFloat, PyTuple, type PyValue } from '../jinja/runtime/values.js';
import { tokenizeSql } from '../sql/places.js';

export function strings(v: PyValue | undefined): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export function allStrings(v: PyValue): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(allStrings);
  if (v instanceof PyDict) return v.entries().flatMap(([k, x]) => (k === 'source_table' || k === 'my_table' ? [] : allStrings(x)));
  return [];
}

/** `p` of `p.STATUS`, and every alias prefix of a predicate. */
export function prefixes(value: string): string[] {
  const toks = tokenizeSql(value);
  const out: string[] = [];
  toks.forEach((t, k) => {
    if (t.type === 'ident' && toks[k + 1]?.text === '.' && toks[k - 1]?.text !== '.' && /^[pc]\d*$/i.test(t.text)) out.push(t.text.toLowerCase());
  });
  return out;
}

export function diffArgs(before: PyDict, after: PyDict): string[] {
  const out: string[] = [];
  const show = (v: PyValue | undefined) => jsonText(jsonOf(v ?? null));
  for (const k of new Set([...before.keys(), ...after.keys()])) {
    const a = show(before.get(k));
    const b = show(after.get(k));
    if (a !== b) out.push(`${String(k)}: ${a} → ${b}`);
  }
  return out;
}

/** Arguments as JSON values; floats and big integers are marked so their text survives. */
export function jsonOf(v: PyValue): unknown {
  if (v instanceof PyFloat) return Number.isInteger(v.value) && Number.isFinite(v.value) ? `\u0000float:${v.value.toFixed(1)}` : v.value;
  if (v instanceof PyBigInt) return `\u0000int:${v.value.toString()}`;
  if (v instanceof Markup) return v.text;
  if (v instanceof PyTuple) return v.items.map(jsonOf);
  if (Array.isArray(v)) return v.map(jsonOf);
  if (v instanceof PyDict) return Object.fromEntries(v.entries().map(([k, x]) => [String(k), jsonOf(x)]));
  if (v === null || typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return null;
}

/** JSON text of a value from jsonOf: marked floats and big integers written as numbers. */
export function jsonText(v: unknown, indent?: number): string {
  return JSON.stringify(v, null, indent).replace(/"\\u0000(?:float|int):([^"]*)"/g, '$1');
}
