/**
 * Table aliases of rendered SQL, per scope: each statement, each CTE body and each subquery
 * has its own FROM/JOIN aliases, and a name resolves in the innermost scope that defines it,
 * then outwards (correlated subqueries see the outer query's aliases; a CTE body sees only
 * the CTEs defined before it). `IDENTIFIER('db.s.t')` is resolved to the name it holds.
 *
 * Token based (places.ts), not parser based, so it answers for SQL the parser rejects
 * (script blocks, LATERAL FLATTEN, `=>` arguments) as well.
 */
import type { Span } from '../text/span.js';
import type { SqlToken } from './places.js';
import { splitStatements, flattenStatements } from './statements.js';

export type AliasKind = 'table' | 'cte' | 'subquery' | 'function' | 'values' | 'variable';

export interface AliasTarget {
  /** The alias as written (unquoted); the key in `aliases` is its lower-case form. */
  alias: string;
  /** The table it names ('DB.SCHEMA.TABLE' as written, IDENTIFIER() resolved), or the CTE name; null for subqueries and functions. */
  table: string | null;
  kind: AliasKind;
  /** The alias where it is defined (or the table name when there is no alias). */
  span: Span;
  /** The table reference (IDENTIFIER(…), name, `(subquery)`, `TABLE(f(…))`). */
  tableSpan: Span;
}

export interface AliasScope {
  kind: 'statement' | 'cte' | 'subquery';
  /** The CTE name, for a CTE scope. */
  name?: string;
  start: number;
  end: number;
  /** Index of the enclosing scope in the returned list, or -1. */
  parent: number;
  aliases: Map<string, AliasTarget>;
  /** CTE names defined by a WITH in this scope (lower case) → index of their scope. */
  ctes: Map<string, number>;
}

const MAX_DEPTH = 200;

/** Words that may follow a table reference and so are never its alias. */
const NOT_ALIAS = new Set(
  'join inner left right full outer cross natural asof on using where group order having qualify limit union except minus intersect window pivot unpivot match_recognize sample tablesample at before changes lateral offset fetch return end select from with as connect start'.split(
    ' ',
  ),
);
const FROM_ENDS = new Set('where group order having qualify limit union except minus intersect window select connect start'.split(' '));

/** The name held by `IDENTIFIER('…')` / a quoted or plain name, as Snowflake reads it. */
export function unquoteName(text: string): string {
  if (text.startsWith("'") && text.endsWith("'")) return text.slice(1, -1).replace(/''/g, "'");
  if (text.startsWith('$$') && text.endsWith('$$')) return text.slice(2, -2);
  if (text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1).replace(/""/g, '"');
  return text;
}

export function resolveAliases(sql: string): AliasScope[] {
  const split = splitStatements(sql);
  const toks = split.tokens;
  const scopes: AliasScope[] = [];
  const lw = (k: number) => toks[k]?.text.toLowerCase() ?? '';
  const match = closingParens(toks);
  const idx = (offset: number) => {
    let lo = 0;
    let hi = toks.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (toks[mid]!.start < offset) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };

  const newScope = (kind: AliasScope['kind'], a: number, b: number, parent: number, name?: string): number => {
    const s: AliasScope = { kind, start: toks[a]?.start ?? 0, end: toks[b - 1]?.end ?? 0, parent, aliases: new Map(), ctes: new Map() };
    if (name !== undefined) s.name = name;
    scopes.push(s);
    return scopes.length - 1;
  };

  /** Scans tokens [a, b) of one query level; parenthesised SELECT/WITH groups become child scopes. */
  let depth = 0;
  const scan = (a: number, b: number, me: number): void => {
    // Nesting deeper than any real query is not looked into (a hostile render can nest thousands).
    if (++depth > MAX_DEPTH) {
      depth--;
      return;
    }
    try {
      scanLevel(a, b, me);
    } finally {
      depth--;
    }
  };
  const scanLevel = (a: number, b: number, me: number): void => {
    let inFrom = false;
    let expectRef = false;
    for (let k = a; k < b; k++) {
      const t = toks[k]!;
      const w = lw(k);
      if (t.text === '(') {
        const close = Math.min(match[k] ?? b, b);
        if (expectRef) {
          k = tableRef(k, b, me) - 1;
          expectRef = false;
          continue;
        }
        transparent(k + 1, close, me);
        k = close;
        continue;
      }
      if (t.type !== 'ident') {
        if (t.text === ',' && inFrom) expectRef = true;
        else if (t.text === ';') inFrom = expectRef = false;
        continue;
      }
      if (w === 'with') {
        k = withList(k + 1, b, me) - 1;
        continue;
      }
      if (w === 'from' || w === 'join') {
        inFrom = true;
        expectRef = true;
        continue;
      }
      if (FROM_ENDS.has(w)) inFrom = false;
      if (expectRef) {
        k = tableRef(k, b, me) - 1;
        expectRef = false;
      }
    }
  };

  /** Inside parentheses that are not a subquery: look for subqueries only. */
  const transparent = (a: number, b: number, me: number): void => {
    if (a >= b || depth > MAX_DEPTH) return;
    if (lw(a) === 'select' || lw(a) === 'with') {
      scan(a, b, newScope('subquery', a, b, me));
      return;
    }
    depth++;
    try {
      for (let k = a; k < b; k++) {
        if (toks[k]!.text === '(') {
          const close = Math.min(match[k] ?? b, b);
          transparent(k + 1, close, me);
          k = close;
        }
      }
    } finally {
      depth--;
    }
  };

  /** `name [(cols)] AS (body), …` after WITH [RECURSIVE]; returns the index after the list. */
  const withList = (k: number, b: number, me: number): number => {
    if (lw(k) === 'recursive') k++;
    while (k < b && toks[k]!.type !== 'punct') {
      const nameTok = toks[k]!;
      let j = k + 1;
      if (toks[j]?.text === '(') j = (match[j] ?? b) + 1;
      if (lw(j) === 'as') j++;
      if (toks[j]?.text !== '(') return j;
      const close = Math.min(match[j] ?? b, b);
      const name = unquoteName(nameTok.text);
      const s = newScope('cte', j + 1, close, me, name);
      scopes[me]!.ctes.set(name.toLowerCase(), s);
      scan(j + 1, close, s);
      k = close + 1;
      if (toks[k]?.text !== ',') return k;
      k++;
    }
    return k;
  };

  /** One FROM item at k: reference, then an optional alias; returns the index after it. */
  const tableRef = (k: number, b: number, me: number): number => {
    const first = toks[k]!;
    let table: string | null = null;
    let kind: AliasKind = 'table';
    let j = k;
    const w = lw(k);
    if (w === 'lateral') j++;
    if (/^identifier$/i.test(toks[j]?.text ?? '') && toks[j + 1]?.text === '(') {
      const close = match[j + 1] ?? b;
      const inner = toks.slice(j + 2, close);
      if (inner.length === 1 && inner[0]!.type === 'string') table = unquoteName(inner[0]!.text);
      else if (inner.length === 2 && inner[0]!.text === ':') kind = 'variable';
      else kind = 'variable';
      j = close + 1;
    } else if (toks[j]?.text === '(') {
      const close = Math.min(match[j] ?? b, b);
      transparent(j + 1, close, me);
      kind = lw(j + 1) === 'select' || lw(j + 1) === 'with' ? 'subquery' : 'values';
      j = close + 1;
    } else if (lw(j) === 'values') {
      kind = 'values';
      j++;
      while (toks[j]?.text === '(') {
        j = (match[j] ?? b) + 1;
        if (toks[j]?.text === ',' && toks[j + 1]?.text === '(') j++;
        else break;
      }
    } else if (toks[j] && (toks[j]!.type === 'ident' || toks[j]!.type === 'quoted')) {
      const parts = [unquoteName(toks[j]!.text)];
      j++;
      while (toks[j]?.text === '.' && toks[j + 1] && ['ident', 'quoted'].includes(toks[j + 1]!.type)) {
        parts.push(unquoteName(toks[j + 1]!.text));
        j += 2;
      }
      if (toks[j]?.text === '(') {
        // TABLE(f(…)), FLATTEN(…): a table function.
        const close = Math.min(match[j] ?? b, b);
        transparent(j + 1, close, me);
        kind = 'function';
        j = close + 1;
      } else {
        table = parts.join('.');
        if (parts.length === 1 && visibleCte(me, table.toLowerCase())) kind = 'cte';
      }
    } else {
      return k + 1; // a stage ('@…'), a string, or something unexpected: no alias
    }
    if (w === 'lateral' && kind === 'table') kind = 'function';
    const tableSpan: Span = { start: first.start, end: toks[j - 1]!.end };
    // Time travel and sampling clauses sit between the table and its alias.
    while (/^(at|before|changes|sample|tablesample|bernoulli|row|system|block)$/.test(lw(j)) && toks[j + 1]?.text === '(') j = (match[j + 1] ?? b) + 1;
    if (/^(sample|tablesample)$/.test(lw(j))) {
      j++;
      if (/^(bernoulli|row|system|block)$/.test(lw(j))) j++;
      if (toks[j]?.text === '(') j = (match[j] ?? b) + 1;
    }
    let aliasTok: SqlToken | undefined;
    if (lw(j) === 'as') {
      aliasTok = toks[j + 1];
      j += 2;
    } else if (toks[j] && (toks[j]!.type === 'ident' || toks[j]!.type === 'quoted') && !NOT_ALIAS.has(lw(j))) {
      aliasTok = toks[j];
      j++;
    }
    if (aliasTok && toks[j]?.text === '(') j = (match[j] ?? b) + 1; // column aliases: AS P(val)
    const scope = scopes[me]!;
    const add = (name: string, span: Span) => scope.aliases.set(name.toLowerCase(), { alias: name, table, kind, span, tableSpan });
    if (aliasTok) add(unquoteName(aliasTok.text), { start: aliasTok.start, end: aliasTok.end });
    else if (table) add(table.split('.').pop()!, tableSpan);
    return j;
  };

  const visibleCte = (s: number, name: string): boolean => {
    for (let x = s; x >= 0; x = scopes[x]!.parent) if (scopes[x]!.ctes.has(name)) return true;
    return false;
  };

  for (const st of flattenStatements(split.statements)) {
    if (st.kind !== 'sql' && st.kind !== 'declare') continue;
    const a = idx(st.start);
    let b = idx(st.end);
    if (b < toks.length && toks[b]!.start < st.end) b++;
    if (st.start !== toks[a]?.start) {
      // A statement inside a $$ string: tokens of its own text.
      const sub = resolveAliases(sql.slice(st.start, st.end));
      const base = scopes.length;
      for (const s of sub) scopes.push(shift(s, st.start, base));
      continue;
    }
    scan(a, b, newScope('statement', a, b, -1));
  }
  return scopes;
}

function shift(s: AliasScope, by: number, base: number): AliasScope {
  const mv = (x: Span): Span => ({ start: x.start + by, end: x.end + by });
  const aliases = new Map([...s.aliases].map(([k, v]) => [k, { ...v, span: mv(v.span), tableSpan: mv(v.tableSpan) }] as const));
  const ctes = new Map([...s.ctes].map(([k, v]) => [k, v + base] as const));
  return { ...s, start: s.start + by, end: s.end + by, parent: s.parent < 0 ? -1 : s.parent + base, aliases, ctes };
}

/** For each '(' token index, the index of its ')' (unbalanced: the end). */
export function closingParens(toks: SqlToken[]): Record<number, number> {
  const out: Record<number, number> = {};
  const stack: number[] = [];
  toks.forEach((t, k) => {
    if (t.text === '(') stack.push(k);
    else if (t.text === ')' && stack.length) out[stack.pop()!] = k;
  });
  for (const k of stack) out[k] = toks.length;
  return out;
}

/** The innermost scope holding `offset`. */
export function scopeAt(scopes: AliasScope[], offset: number): number {
  let best = -1;
  scopes.forEach((s, i) => {
    if (s.start <= offset && offset < s.end && (best < 0 || s.end - s.start <= scopes[best]!.end - scopes[best]!.start)) best = i;
  });
  return best;
}

/**
 * What `alias` names at `offset`: the innermost scope's FROM aliases, then the enclosing
 * scopes' (a CTE body does not see the outer query's FROM, only earlier CTE names).
 */
export function resolveAlias(scopes: AliasScope[], offset: number, alias: string): AliasTarget | null {
  const key = alias.toLowerCase();
  let s = scopeAt(scopes, offset);
  let aliasesVisible = true;
  while (s >= 0) {
    const scope = scopes[s]!;
    if (aliasesVisible) {
      const hit = scope.aliases.get(key);
      if (hit) return hit;
    }
    if (scope.kind === 'cte') aliasesVisible = false;
    s = scope.parent;
  }
  return null;
}
