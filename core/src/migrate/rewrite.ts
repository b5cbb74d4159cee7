/**
 * The text edits that move a legacy template to the Collaboration API, and the same renaming
 * applied to analysis arguments and (for the faithfulness check) to legacy renders.
 *
 * Template text is edited only where the edit is certain: alias definitions a render shows
 * and `alias.` qualifiers in literal template text, alias prefixes in string constants (`'p.' ~ col`), the number written after an alias
 * letter (`p{{ loop.index0 }}` → `p{{ (loop.index0 + 1) }}`), and, for a provider-run
 * template, the names `source_table` and `my_table`. Anything else is left for a person
 * (reported by the caller), and the faithfulness check catches what an edit got wrong.
 */
import type * as A from '../jinja/ast.js';
import type { ParseResult } from '../jinja/parse.js';
import type { Span } from '../text/span.js';
import { tokenizeSql } from '../sql/places.js';
import { SqlAliases } from '../profile/aliases.js';
import { filterChain } from '../rules/static.js';
import { visit } from '../jinja/visit.js';
import { PyDict, type PyValue } from '../jinja/runtime/values.js';
import { sameCase, type AliasMap } from './aliasMap.js';

export interface TextEdit {
  span: Span;
  text: string;
  /** What the edit does, for the report. */
  note: string;
}

export interface TemplateEdits {
  edits: TextEdit[];
  /** Places the edits could not handle, with the reason. */
  problems: { span: Span; message: string }[];
}

const ALIAS_WORD = /[A-Za-z_][A-Za-z0-9_$]*/y;

/**
 * Renames alias words of literal text: where a render defines the alias (`defs`, template
 * offsets) and where a column is qualified with it (`p.status`, `c.{{ col }}`). Skips strings,
 * quoted names and comments.
 */
function textEdits(value: string, at: number, map: AliasMap, endsBeforeOutput: boolean, defs: ReadonlySet<number>): TextEdit[] {
  const out: TextEdit[] = [];
  let i = 0;
  while (i < value.length) {
    const ch = value[i]!;
    if (ch === "'" || ch === '"') {
      const close = value.indexOf(ch, i + 1);
      i = close < 0 ? value.length : close + 1;
      continue;
    }
    if (ch === '-' && value[i + 1] === '-') {
      const nl = value.indexOf('\n', i);
      i = nl < 0 ? value.length : nl + 1;
      continue;
    }
    if (ch === '/' && value[i + 1] === '*') {
      const close = value.indexOf('*/', i + 2);
      i = close < 0 ? value.length : close + 2;
      continue;
    }
    if (/[A-Za-z_]/.test(ch) && (i === 0 || !/[A-Za-z0-9_$.]/.test(value[i - 1]!))) {
      ALIAS_WORD.lastIndex = i;
      const word = ALIAS_WORD.exec(value)![0];
      const end = i + word.length;
      const target = map.get(word.toLowerCase());
      // A letter written right before {{ … }} is the first half of a computed alias.
      const computed = end === value.length && endsBeforeOutput;
      const used = value[end] === '.' || defs.has(at + i);
      if (target !== undefined && target !== word.toLowerCase() && !computed && used) {
        out.push({ span: { start: at + i, end: at + end }, text: sameCase(word, target), note: `alias ${word} → ${sameCase(word, target)}` });
      }
      i = end;
      continue;
    }
    i++;
  }
  return out;
}

/**
 * The edits of one template. `map` renames aliases; `swap` exchanges source_table and
 * my_table (a provider-run template, whose runner's own tables become my_table).
 */
export function templateEdits(text: string, parsed: ParseResult, map: AliasMap, swap: boolean, defs: ReadonlySet<number>): TemplateEdits {
  const edits: TextEdit[] = [];
  const problems: TemplateEdits['problems'] = [];
  // Literal text, statement by statement, knowing what follows each text node.
  const walkBody = (body: A.Stmt[]) => {
    body.forEach((s, k) => {
      if (s.kind === 'Text') {
        const next = body[k + 1];
        edits.push(...textEdits(s.value, s.span.start, map, next?.kind === 'Output', defs));
        if (next?.kind === 'Output') computedAlias(text, s, next, map, swap, edits, problems);
      }
      for (const key of ['body', 'else'] as const) {
        const v = (s as unknown as Record<string, unknown>)[key];
        if (Array.isArray(v)) walkBody(v as A.Stmt[]);
      }
      if (s.kind === 'If') for (const b of s.branches) walkBody(b.body);
    });
  };
  walkBody(parsed.template.body);
  visit(parsed.template.body, n => {
    if (n.kind === 'Const') {
      const c = n as unknown as A.ConstExpr;
      if (c.value.type !== 'str') return;
      const m = /^([pc]\d*)(\.|$)/i.exec(c.value.value);
      const target = m ? map.get(m[1]!.toLowerCase()) : undefined;
      const src = text.slice(c.span.start, c.span.end);
      if (m && target !== undefined && target !== m[1]!.toLowerCase() && /^['"]/.test(src) && src.slice(1).startsWith(m[1]!)) {
        edits.push({
          span: { start: c.span.start + 1, end: c.span.start + 1 + m[1]!.length },
          text: sameCase(m[1]!, target),
          note: `alias ${m[1]} → ${sameCase(m[1]!, target)} in a string constant`,
        });
      }
    } else if (swap && n.kind === 'Name') {
      const name = (n as unknown as A.NameExpr).name;
      if (name === 'source_table' || name === 'my_table') {
        const other = name === 'source_table' ? 'my_table' : 'source_table';
        edits.push({ span: n.span, text: other, note: `${name} → ${other} (provider-run: the runner's own tables are my_table)` });
      }
    }
  });
  return { edits: dedupe(edits), problems };
}

/** `p{{ expr }}`: keep, swap the letter, or add one to the number, as the map requires. */
function computedAlias(
  text: string,
  t: A.TextNode,
  out: A.OutputNode,
  map: AliasMap,
  swap: boolean,
  edits: TextEdit[],
  problems: TemplateEdits['problems'],
): void {
  const m = /(?:^|[^A-Za-z0-9_$.])([pc])$/i.exec(t.value);
  if (!m) return;
  const letter = m[1]!;
  const numbered = [...map].filter(([a]) => a[0] === letter.toLowerCase() && /^\w\d+$/.test(a));
  const shifts = new Set(numbered.map(([a, b]) => Number(b.slice(1)) - Number(a.slice(1))));
  const letters = new Set(numbered.map(([, b]) => b[0]));
  const letterAt = { start: t.span.end - 1, end: t.span.end };
  const newLetter = letters.size === 1 ? [...letters][0]! : swap ? (letter.toLowerCase() === 'p' ? 'c' : 'p') : letter.toLowerCase();
  if (newLetter !== letter.toLowerCase())
    edits.push({ span: letterAt, text: sameCase(letter, newLetter), note: `alias letter ${letter} → ${sameCase(letter, newLetter)} before {{ … }}` });
  if (!numbered.length || (shifts.size === 1 && shifts.has(0))) return;
  if (shifts.size !== 1 || !shifts.has(1)) {
    problems.push({
      span: out.span,
      message: `the alias ${letter}{{ … }} is numbered so that its tables do not follow one rule (${numbered.map(([a, b]) => `${a} → ${b}`).join(', ')}); renumber it by hand`,
    });
    return;
  }
  const { base } = filterChain(out.expr);
  const src = text.slice(base.span.start, base.span.end);
  edits.push({
    span: base.span,
    text: `(${src} + 1)`,
    note: `alias number ${letter}{{ ${src} }} → ${letter}{{ (${src} + 1) }}: the Collaboration API numbers aliases from 1`,
  });
}

function dedupe(edits: TextEdit[]): TextEdit[] {
  const seen = new Set<string>();
  return edits.filter(e => {
    const k = `${e.span.start}:${e.span.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Applies non-overlapping edits; overlapping ones are dropped and returned. */
export function applyEdits(text: string, edits: readonly TextEdit[]): { text: string; dropped: TextEdit[] } {
  const sorted = [...edits].sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end);
  const kept: TextEdit[] = [];
  const dropped: TextEdit[] = [];
  let last = -1;
  for (const e of sorted) {
    if (e.span.start < last) dropped.push(e);
    else {
      kept.push(e);
      last = e.span.end;
    }
  }
  let out = text;
  for (const e of kept.reverse()) out = out.slice(0, e.span.start) + e.text + out.slice(e.span.end);
  return { text: out, dropped };
}

/** Renames `alias.` prefixes in a caller value: `p.STATUS`, or every column of a predicate. */
export function renameInValue(value: string, map: AliasMap): string {
  const toks = tokenizeSql(value);
  let out = value;
  for (let k = toks.length - 1; k >= 0; k--) {
    const t = toks[k]!;
    if (t.type !== 'ident' || toks[k + 1]?.text !== '.' || toks[k - 1]?.text === '.') continue;
    const target = map.get(t.text.toLowerCase());
    if (target !== undefined) out = out.slice(0, t.start) + sameCase(t.text, target) + out.slice(t.end);
  }
  return out;
}

/** The arguments with aliases renamed in every string; table lists are the caller's. */
export function renameArguments(args: PyDict, map: AliasMap, skip: ReadonlySet<string>): PyDict {
  const walk = (v: PyValue): PyValue => {
    if (typeof v === 'string') return renameInValue(v, map);
    if (Array.isArray(v)) return v.map(walk);
    if (v instanceof PyDict) return new PyDict(v.entries().map(([k, x]) => [k, walk(x)] as [PyValue, PyValue]));
    return v;
  };
  return new PyDict(args.entries().map(([k, v]) => [k, typeof k === 'string' && skip.has(k) ? v : walk(v)] as [PyValue, PyValue]));
}

/**
 * A legacy render as the Collaboration render should read: table names replaced (longest
 * first), then alias definitions, `alias.` prefixes and `'alias.col'` strings renamed.
 */
export function normalizeLegacySql(sql: string, map: AliasMap, tables: ReadonlyMap<string, string>): string {
  let s = sql;
  for (const [from, to] of [...tables].sort((a, b) => b[0].length - a[0].length)) if (from !== to) s = s.split(from).join(to);
  const defs = new Set(new SqlAliases(s).defs.map(d => d.span.start));
  const toks = tokenizeSql(s);
  const edits: { start: number; end: number; text: string }[] = [];
  toks.forEach((t, k) => {
    if (t.type === 'ident') {
      const target = map.get(t.text.toLowerCase());
      if (target === undefined) return;
      // `c.{{ col | sqlsafe }}` with an alias-qualified value renders `c.c.COL`: the value's
      // prefix is renamed in the arguments, so it is renamed here too.
      if (toks[k + 1]?.text === '.' || (defs.has(t.start) && toks[k - 1]?.text !== '.'))
        edits.push({ start: t.start, end: t.end, text: sameCase(t.text, target) });
    } else if (t.type === 'string') {
      const m = /^'([pc]\d*)\./i.exec(t.text);
      const target = m ? map.get(m[1]!.toLowerCase()) : undefined;
      if (m && target !== undefined) edits.push({ start: t.start + 1, end: t.start + 1 + m[1]!.length, text: sameCase(m[1]!, target) });
    }
  });
  for (const e of edits.reverse()) s = s.slice(0, e.start) + e.text + s.slice(e.end);
  return s;
}

/** A YAML literal block cannot hold a carriage return: CRLF and CR become LF. */
export function lineEnds(body: string, changed: () => void): string {
  if (!/\r/.test(body)) return body;
  changed();
  return body.replace(/\r\n?/g, '\n');
}
