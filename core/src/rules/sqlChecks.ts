/**
 * DCR2xx: checks on the rendered SQL, mapped back to the template range that produced it.
 *
 * Two kinds of evidence:
 * - errors found on tokens (a string where a table goes, `p.'col'`, unbalanced parentheses,
 *   an empty IDENTIFIER(), misplaced commas);
 * - the syntax parser's errors (sql/syntax/parser.ts: Snowflake's query grammar).
 * Both are DCR201 errors only when the template text decides them: the offending token and
 * the one before it were written in the template (or are bound values, `?` to Snowflake),
 * with no caller-supplied raw text or branch tag between them. Otherwise the sample
 * arguments decided, and it is DCR200 "could not verify" (information). So is a construct
 * outside the parser's grammar.
 * Activation rules (DCR203–205): what Snowflake requires of an activation template is written
 * in their pages, docs/rules/DCR203.md to DCR205.md.
 */
import type { Finding } from '../findings.js';
import type { Span } from '../text/span.js';
import { segmentAt, type RenderOutcome } from '../jinja/index.js';
import type { OutputSegment } from '../jinja/runtime/values.js';
import { SqlText, tokenizeSql, type SqlToken } from '../sql/places.js';
import { splitStatements, flattenStatements, type SqlStatement } from '../sql/statements.js';
import { parseStatementSyntax, type SelectItem } from '../sql/syntax/parser.js';
import type { BindAt, Tok } from '../sql/syntax/tokens.js';
import { unquoteName } from '../sql/aliases.js';
import { finding } from './finding.js';
import type { Api } from '../settings.js';
import { PROVIDED_TABLES } from '../provided.js';

export type TemplateKind = 'analysis' | 'activation';

export interface SqlRuleOptions {
  kind: TemplateKind;
  templateName?: string;
  api: Api;
  /** The template text the outcome was rendered from: lets the comma and IDENTIFIER() checks see Jinja tags between tokens. */
  source?: string;
}

/** Why one statement of a render could not be verified. */
export interface Unverified {
  /** Offset in the rendered SQL. */
  offset: number;
  reason: string;
  /** A short category for reports ('script IF block', 'near "WITHIN"'). */
  label: string;
}

/** A syntax error of one statement, offsets in the rendered SQL. */
export interface StatementError {
  start: number;
  end: number;
  message: string;
  /** The token where the parser noticed it and the one before (what decides its certainty). */
  noticed: { start: number; end: number };
  before: { start: number; end: number } | null;
  /** Noticed at the end of the statement; `statementEnd` then bounds the gap after `before`. */
  atEnd: boolean;
  /** Every character of the noticed token must be written in the template (an unclosed string). */
  whole?: boolean;
  statementEnd: number;
}

export interface SqlCheck {
  statements: SqlStatement[];
  /** SQL statements handed to the parser, and how many it accepted (no error, nothing unsupported). */
  parsed: number;
  accepted: number;
  unverified: Unverified[];
  errors: StatementError[];
  /** CREATE TABLE … AS SELECT statements (by start offset) → the items of their SELECT, offsets absolute. */
  createItems: Map<number, SelectItem[]>;
}

const ACTIVATION_CREATE =
  /\bcreate\s+(?:or\s+replace\s+)?(?:(?:local|global|temp|temporary|volatile|transient)\s+)*table\s+(?:if\s+not\s+exists\s+)?cleanroom\s*\.\s*(?:activation_data_|temp_result_data)/i;

/** Beyond this many statements a render is not parsed further (a hostile template can render thousands). */
const MAX_STATEMENTS = 200;
/** Certain errors reported per token stream: the first ones explain the rest. */
const MAX_CERTAIN = 10;
/** Clause look-ups (each scans backwards) per token stream. */
const MAX_PLACE_LOOKUPS = 500;

/** Activation when the SQL creates the activation table, or (legacy API) the name says so. */
export function templateKind(sql: string, templateName: string | undefined, api: Api = 'legacy'): TemplateKind {
  if (ACTIVATION_CREATE.test(sql) || /'cleanroom\.activation_data_/i.test(sql)) return 'activation';
  // P&C names activation templates 'activation_…'; the Collaboration API has no such rule.
  if (api === 'legacy' && templateName && /^activation_/i.test(templateName)) return 'activation';
  return 'analysis';
}

/** Statements longer than this are not parsed (a hostile template can render megabytes). */
export const MAX_PARSE_CHARS = 200_000;

/** Parses every SQL statement of `sql` (scripts split into their statements). */
export function checkSql(sql: string, bindAt?: BindAt): SqlCheck {
  const split = splitStatements(sql);
  const all = flattenStatements(split.statements);
  const unverified: Unverified[] = [];
  const errors: StatementError[] = [];
  const createItems = new Map<number, SelectItem[]>();
  let parsed = 0;
  let accepted = 0;
  for (const st of all) {
    if (st.kind === 'control') {
      unverified.push({
        offset: st.start,
        reason: `the Snowflake Scripting ${st.keyword.toUpperCase()} block is not checked`,
        label: `script ${st.keyword.toUpperCase()} block`,
      });
      continue;
    }
    if (st.kind !== 'sql' && st.kind !== 'return') continue;
    if (parsed >= MAX_STATEMENTS) {
      unverified.push({ offset: st.start, reason: `only the first ${MAX_STATEMENTS} statements are checked`, label: 'too many statements' });
      break;
    }
    parsed++;
    if (st.end - st.start > MAX_PARSE_CHARS) {
      unverified.push({ offset: st.start, reason: `the statement is too long to check (${st.end - st.start} characters)`, label: 'too long' });
      continue;
    }
    const base = st.start;
    const r = parseStatementSyntax(
      sql.slice(st.start, st.end),
      bindAt
        ? off => {
            const b = bindAt(off + base);
            return b ? { start: b.start - base, end: b.end - base } : null;
          }
        : undefined,
    );
    const abs = (t: Tok) => ({ start: t.start + base, end: t.end + base });
    // The statement's end includes the space after it, where a value may have rendered empty.
    let end = st.end;
    while (end < sql.length && /\s/.test(sql[end]!)) end++;
    for (const e of r.errors)
      errors.push({
        start: e.start + base,
        end: e.end + base,
        message: e.message,
        noticed: abs(e.noticed),
        before: e.before ? abs(e.before) : null,
        atEnd: e.noticed.kind === 'eof',
        statementEnd: end,
        ...(e.whole ? { whole: true } : {}),
      });
    if (r.unsupported)
      unverified.push({ offset: r.unsupported.offset + base, reason: `the SQL checker does not cover ${r.unsupported.reason}`, label: r.unsupported.reason });
    if (!r.errors.length && !r.unsupported) accepted++;
    if (r.createItems)
      createItems.set(
        st.start,
        r.createItems.map(it => ({ ...it, start: it.start + base, end: it.end + base })),
      );
  }
  return { statements: split.statements, parsed, accepted, unverified, errors, createItems };
}

export function sqlRules(outcome: RenderOutcome, opts: SqlRuleOptions): Finding[] {
  const sql = outcome.output;
  if (sql === null || !sql.trim()) return [];
  const map = new SourceMap(outcome.segments, opts.source);
  const out: Finding[] = [];
  const split = splitStatements(sql);
  const statements = flattenStatements(split.statements);
  const streams = tokenStreams(sql, split.tokens, statements);

  const tokenErrorAt: number[] = [];
  for (const toks of streams) out.push(...certainErrors(sql, toks, map, tokenErrorAt));

  const check = checkSql(sql, map.bindAt);
  const info = [...check.unverified];
  info.push(...syntaxFindings(sql, check, map, statements, tokenErrorAt, out));
  for (const toks of streams) info.push(...emptyIdentifiers(toks, map, out));
  const shape =
    opts.kind === 'analysis' ? queryShape(sql, split.statements, split.blocks.length > 0, map) : activationRules(sql, statements, split.tokens, map, check);
  // Once a certain error is found, "could not verify" adds nothing.
  if (info.length && ![...out, ...shape].some(f => f.code === 'DCR201' || f.code === 'DCR206')) {
    // The earliest place first: what comes after it may follow from it.
    info.sort((a, b) => a.offset - b.offset);
    const first = info[0]!;
    const more = info.length > 1 ? ` (${info.length - 1} more place${info.length > 2 ? 's' : ''} could not be verified either)` : '';
    out.push(finding('DCR200', `Could not verify the rendered SQL: ${first.reason}.${more}`, map.point(first.offset, sql) ?? { start: 0, end: 0 }));
  }

  out.push(...shape);
  return out;
}

/**
 * The syntax parser's errors: DCR201 where the template text decides them, "could not
 * verify" where the sample arguments did. A statement with an error found on tokens keeps
 * only that one (the parser would report the same mistake again, elsewhere).
 */
function syntaxFindings(sql: string, check: SqlCheck, map: SourceMap, statements: SqlStatement[], tokenErrorAt: number[], out: Finding[]): Unverified[] {
  const info: Unverified[] = [];
  const statementOf = (off: number) => statements.find(s => s.kind !== 'scripting' && off >= s.start && off <= s.end) ?? null;
  const flagged = new Set(tokenErrorAt.map(statementOf));
  for (const e of check.errors) {
    if (flagged.has(statementOf(e.noticed.start))) continue;
    if (map.decides(e.before, e.noticed, e.atEnd, e.statementEnd) && (!e.whole || map.written(e.noticed.start, e.noticed.end))) {
      out.push(finding('DCR201', `The rendered SQL does not parse: ${e.message}.`, map.span(e.start, e.end) ?? { start: 0, end: 0 }));
    } else {
      info.push({
        offset: e.noticed.start,
        reason: `the rendered SQL does not parse with the sample arguments (${e.message}), but an argument decides this part of it`,
        label: 'syntax error that an argument decides',
      });
    }
  }
  return info;
}

/**
 * The SQL check of one render, for renders other than the one sqlRules ran on (other list
 * lengths, one per clean room of a multi-provider analysis): its certain DCR201 errors only.
 */
export function syntaxErrorsOfRender(outcome: RenderOutcome, source: string): Finding[] {
  const sql = outcome.output;
  if (sql === null || !sql.trim()) return [];
  const map = new SourceMap(outcome.segments, source);
  const split = splitStatements(sql);
  const statements = flattenStatements(split.statements);
  const out: Finding[] = [];
  const tokenErrorAt: number[] = [];
  for (const toks of tokenStreams(sql, split.tokens, statements)) out.push(...certainErrors(sql, toks, map, tokenErrorAt));
  syntaxFindings(sql, checkSql(sql, map.bindAt), map, statements, tokenErrorAt, out);
  return out.filter(f => f.code === 'DCR201');
}

// ------------------------------------------------------------------ source map

/** Maps rendered-SQL offsets back to template offsets through the render's segments. */
export class SourceMap {
  /** `sourceText`: the template, so that what lies between two tokens can be read; without it only text of one segment counts. */
  constructor(
    private readonly segs: OutputSegment[],
    readonly sourceText?: string,
  ) {}

  segmentAt(off: number): OutputSegment | null {
    return segmentAt(this.segs, off) ?? null;
  }

  /** The rendered range of the bound value at `off` (Snowflake receives `?` there). */
  readonly bindAt: BindAt = off => {
    const s = this.segmentAt(off);
    return s && s.kind === 'bind' ? { start: s.start, end: s.end } : null;
  };

  /**
   * Whether the template text decides the syntax at `noticed`: it and the token before it
   * are template text or bound values, and nothing between them came from a raw value
   * (even one that rendered empty) or a branch tag.
   */
  decides(before: { start: number; end: number } | null, noticed: { start: number; end: number }, atEnd: boolean, statementEnd: number): boolean {
    const written = (off: number) => {
      const k = this.segmentAt(off)?.kind;
      return k === 'text' || k === 'bind';
    };
    if (!atEnd && !written(noticed.start)) return false;
    if (!before) return true;
    if (!written(before.end - 1)) return false;
    const gapEnd = atEnd ? statementEnd : noticed.start;
    // A value that rendered empty (undefined) leaves a zero-length segment in the gap.
    for (const s of this.segs) {
      if (s.start > gapEnd) break;
      if (s.kind === 'text' || s.end < before.end) continue;
      if (s.start === s.end || (s.kind !== 'bind' && s.start < gapEnd)) return false;
    }
    // Template offsets around the gap; a bound value stands for its whole `{{ … }}`.
    const edge = (off: number, end: boolean): number | null => {
      const seg = this.segmentAt(off);
      if (!seg) return null;
      if (seg.kind === 'text') return seg.source.start + (off - seg.start);
      return end ? seg.source.end - 1 : seg.source.start;
    };
    const x = edge(before.end - 1, true);
    const y = atEnd ? null : edge(noticed.start, false);
    if (x === null || this.sourceText === undefined) return true;
    // Template text between them (when it runs forward): a branch tag or a value there means
    // another argument could render other SQL here.
    const gap = y !== null && y > x ? this.sourceText.slice(x + 1, y) : y === null ? this.tailAfter(before.end - 1, x) : '';
    return !/\{\{|\{%-?\s*(if|elif|else|macro|call|set|include|for)\b/.test(gap.replace(/\{#[^]*?#\}/g, ''));
  }

  /** Whether every character of rendered [start, end) is template text or a bound value. */
  written(start: number, end: number): boolean {
    for (const s of this.segs) {
      if (s.start >= end) break;
      if (s.end > start || (s.start === s.end && s.start >= start)) {
        if (s.kind !== 'text' && s.kind !== 'bind') return false;
      }
    }
    return true;
  }

  /** Template text after template offset `x` (rendered at `off`) up to the next rendered segment: tags that rendered nothing. */
  private tailAfter(off: number, x: number): string {
    let y = this.sourceText!.length;
    for (const s of this.segs) {
      if (s.start > off && s.source.start > x) {
        y = s.source.start;
        break;
      }
    }
    return this.sourceText!.slice(x + 1, y);
  }

  /** Template offset of a rendered character, when it is literal template text. */
  textOffset(off: number): number | null {
    const s = this.segmentAt(off);
    return s && s.kind === 'text' ? s.source.start + (off - s.start) : null;
  }

  /**
   * The innermost template range that produced rendered [start, end): exact for template
   * text, the `{{ … }}` for a value.
   */
  span(start: number, end: number): Span | null {
    const a = this.segmentAt(start);
    const b = this.segmentAt(Math.max(start, end - 1));
    if (!a) return null;
    const inA = (off: number, s: OutputSegment) => s.source.start + (off - s.start);
    if (a === b) return a.kind === 'text' ? { start: inA(start, a), end: inA(end, a) } : a.source;
    const from = a.kind === 'text' ? inA(start, a) : a.source.start;
    if (b) {
      const to = b.kind === 'text' ? inA(end - 1, b) + 1 : b.source.end;
      if (to > from && !(a.via?.length || b.via?.length)) return { start: from, end: to };
    }
    return a.kind === 'text' ? { start: from, end: Math.min(a.source.end, from + (end - start)) } : a.source;
  }

  /** The template range of the token at rendered offset `off`. */
  point(off: number, sql: string): Span | null {
    const tok = tokenizeSql(sql.slice(off, off + 200))[0];
    return this.span(off, off + Math.max(1, tok && tok.start === 0 ? tok.end : 1));
  }

  /** Template text between two rendered tokens when both are template text, else null. */
  between(a: SqlToken, b: SqlToken): string | null {
    const x = this.textOffset(a.end - 1);
    const y = this.textOffset(b.start);
    if (x === null || y === null || y <= x) return null;
    if (this.sourceText !== undefined) return this.sourceText.slice(x + 1, y);
    const sa = this.segmentAt(a.end - 1);
    return sa && sa === this.segmentAt(b.start) ? '' : null;
  }
}

// ------------------------------------------------------------------ token streams

/** Tokens of the whole SQL, plus those of each SQL text held in a `$$…$$` string, offsets absolute. */
function tokenStreams(sql: string, tokens: SqlToken[], statements: SqlStatement[]): SqlToken[][] {
  const streams = [tokens];
  for (const st of statements) {
    if (!st.inner) continue;
    for (const inner of st.inner) {
      streams.push(tokenizeSql(sql.slice(inner.start, inner.end)).map(t => ({ ...t, start: t.start + inner.start, end: t.end + inner.start })));
    }
  }
  return streams;
}

const KEYWORD_BEFORE_PAREN = new Set(
  'from join in as exists lateral select where on and or not union all any some then else when values by with having qualify over'.split(' '),
);

/** Whether the '(' at k opens a function call's argument list. */
function isCall(toks: SqlToken[], k: number): boolean {
  const f = toks[k - 1];
  return !!f && f.type === 'ident' && !KEYWORD_BEFORE_PAREN.has(f.text.toLowerCase());
}

/** For each token, the index of the '(' enclosing it within its statement, or -1 (one pass). */
function enclosingParens(toks: SqlToken[]): Int32Array {
  const out = new Int32Array(toks.length).fill(-1);
  const stack: number[] = [];
  toks.forEach((t, k) => {
    if (t.text === ')') stack.pop();
    out[k] = stack.length ? stack[stack.length - 1]! : -1;
    if (t.text === '(') stack.push(k);
    else if (t.text === ';') stack.length = 0;
  });
  return out;
}

/**
 * What the template wrote between two rendered tokens, with Jinja end tags and comments
 * removed: null when a value (`{{ }}`) or a branch tag sits between them, since then the
 * arguments decide the SQL there.
 */
function onlyTextBetween(map: SourceMap, a: SqlToken, b: SqlToken): boolean {
  const gap = map.between(a, b);
  if (gap === null) return false;
  const rest = gap.replace(/\{#[^]*?#\}/g, '').replace(/\{%-?\s*end(for|if)\s*-?%\}/g, '');
  return !/\{\{|\{%/.test(rest) && !rest.trim();
}

const unquoteString = (s: string) => s.slice(1, -1).replace(/''/g, "'");

/** `reportedAt` receives the rendered offset of each error found. */
function certainErrors(sql: string, toks: SqlToken[], map: SourceMap, reportedAt: number[]): Finding[] {
  const out: Finding[] = [];
  const at = (t: SqlToken) => {
    reportedAt.push(t.start);
    return map.span(t.start, t.end) ?? { start: 0, end: 0 };
  };
  const sqlText = new SqlText(sql);
  let lookups = 0;
  // Each look-up scans backwards: bounded so a hostile render stays linear.
  const clauseOf = (t: SqlToken) => (lookups++ < MAX_PLACE_LOOKUPS ? (sqlText.placeOf(t.start)?.clause ?? 'other') : 'other');
  const parens = enclosingParens(toks);
  const lw = (t: SqlToken | undefined) => (t ? t.text.toLowerCase() : '');

  // Parentheses: Snowflake cannot parse a statement with an unmatched one.
  const stack: number[] = [];
  let reportedParen = false;
  toks.forEach((t, k) => {
    if (t.text === '(') stack.push(k);
    else if (t.text === ')') {
      if (stack.length) stack.pop();
      else if (!reportedParen) {
        reportedParen = true;
        out.push(finding('DCR201', "The rendered SQL does not parse: this ')' closes no parenthesis.", at(t)));
      }
    }
  });
  if (stack.length && !reportedParen)
    out.push(finding('DCR201', "The rendered SQL does not parse: this '(' is never closed.", at(toks[stack[stack.length - 1]!]!)));

  for (let k = 0; k < toks.length && out.length < MAX_CERTAIN; k++) {
    const t = toks[k]!;
    const prev = toks[k - 1];
    const next = toks[k + 1];
    // FROM 'db.s.t': a string is no table name (Snowflake reads it as a stage URL and fails).
    // The keyword and the '.' below must be template text: sample arguments can render odd
    // characters (a list argument guessed as a string, indexed), never template text.
    const written = (x: SqlToken | undefined) => !!x && map.segmentAt(x.start)?.kind === 'text';
    if (
      t.type === 'string' &&
      t.text.startsWith("'") &&
      !t.text.startsWith("'@") &&
      /^(from|join)$/.test(lw(prev)) &&
      lw(toks[k - 2]) !== 'distinct' &&
      written(prev)
    ) {
      const open = parens[k]!;
      if (open < 0 || !isCall(toks, open)) {
        out.push(
          finding(
            'DCR201',
            `The rendered SQL does not parse: ${t.text.length > 40 ? 'a string' : t.text} is a string literal where a table name is expected. Use IDENTIFIER(…) around a table name held in a string.`,
            at(t),
          ),
        );
      }
      continue;
    }
    // source_table[0] written as SQL text: the template meant {{ source_table[0] }}. No table
    // or column of that name exists in a clean room, so Snowflake cannot resolve it.
    if (
      t.type === 'ident' &&
      PROVIDED_TABLES.has(t.text.toLowerCase()) &&
      written(t) &&
      (next?.text === '[' || (next?.text === '.' && lw(t) === 'preset_tables')) &&
      written(next)
    ) {
      let e = k + 1;
      if (next!.text === '[') while (e < toks.length && toks[e]!.text !== ']' && e - k < 8) e++;
      else e = Math.min(k + 2, toks.length - 1);
      const end = toks[e]!;
      const shown = sql.slice(t.start, end.end);
      out.push(
        finding(
          'DCR206',
          `${shown} is written as SQL text, outside {{ }}: Snowflake receives the words "${shown}", not the table, and cannot resolve them. Write {{ ${shown} }} (inside IDENTIFIER() where a table goes).`,
          map.span(t.start, end.end) ?? at(t),
        ),
      );
      k = e;
      continue;
    }
    // 'p1'.col: a string literal used as a table qualifier.
    if (t.type === 'string' && t.text.startsWith("'") && next?.text === '.' && written(next) && ['ident', 'quoted'].includes(toks[k + 2]?.type ?? '')) {
      out.push(
        finding(
          'DCR201',
          `The rendered SQL does not parse: ${t.text.length > 30 ? "'…'" : t.text}.${toks[k + 2]!.text} uses a string literal as a table qualifier. Write the alias as a name (${unquoteString(t.text)}.${toks[k + 2]!.text}).`,
          at(t),
        ),
      );
      continue;
    }
    // FROM t AS p 'WHERE …': a string literal right after a table's alias (a clause passed as
    // a bound value, for instance) cannot follow a table reference.
    if (
      t.type === 'string' &&
      t.text.startsWith("'") &&
      prev &&
      ['ident', 'quoted'].includes(prev.type) &&
      (lw(toks[k - 2]) === 'as' || toks[k - 2]?.text === ')') &&
      written(prev) &&
      clauseOf(t) === 'from'
    ) {
      const open = parens[k]!;
      if (open < 0 || !isCall(toks, open)) {
        const bound = map.segmentAt(t.start)?.kind === 'bind';
        const what = bound ? 'this value, bound as a string literal,' : t.text.length > 30 ? 'a string literal' : t.text;
        out.push(
          finding(
            'DCR201',
            `The rendered SQL does not parse: ${what} follows the table alias ${prev.text}, and no string can follow a table reference.${bound ? ' SQL text needs | sqlsafe, with a policy filter after it.' : ''}`,
            at(t),
          ),
        );
        continue;
      }
    }
    // FROM t AS 'p1': a string literal is no table alias.
    if (t.type === 'string' && t.text.startsWith("'") && lw(prev) === 'as' && written(prev) && clauseOf(t) === 'from') {
      out.push(
        finding(
          'DCR201',
          `The rendered SQL does not parse: ${t.text.length > 30 ? 'a string literal' : t.text} is a string literal where a table alias is expected. Write the alias as a name (AS ${unquoteString(t.text)}).`,
          at(t),
        ),
      );
      continue;
    }
    // p.'col': an alias followed by a string literal.
    if (
      t.type === 'string' &&
      t.text.startsWith("'") &&
      prev?.text === '.' &&
      written(prev) &&
      toks[k - 2] &&
      ['ident', 'quoted'].includes(toks[k - 2]!.type)
    ) {
      out.push(
        finding(
          'DCR201',
          `The rendered SQL does not parse: ${toks[k - 2]!.text}.${t.text.length > 30 ? "'…'" : t.text} is an alias followed by a string literal. Write the column as a name (IDENTIFIER('alias.col') or raw text).`,
          at(t),
        ),
      );
      continue;
    }
    if (t.text !== ',') continue;
    // Commas with nothing before or after them. A trailing comma at the end of a SELECT list
    // is accepted by Snowflake, so `, FROM` is not flagged.
    let problem: string | null = null;
    if (next?.text === ',' && onlyTextBetween(map, t, next)) problem = 'two commas in a row';
    else if (prev && /^(select|distinct|by)$/.test(lw(prev)) && onlyTextBetween(map, prev, t)) problem = `a comma right after ${prev.text.toUpperCase()}`;
    else if (prev?.text === '(' && isCall(toks, k - 1) && onlyTextBetween(map, prev, t)) problem = "a comma right after '('";
    else if (next?.text === ')' && onlyTextBetween(map, t, next)) {
      const open = parens[k]!;
      if (open >= 0 && (isCall(toks, open) || lw(toks[open - 1]) === 'in') && clauseOf(t) !== 'other') problem = "a comma right before ')'";
    } else if (next && /^(having|qualify|order|limit|union|except|minus|intersect)$/.test(lw(next)) && onlyTextBetween(map, t, next)) {
      if (clauseOf(t) === 'group') problem = `a comma at the end of GROUP BY, before ${next.text.toUpperCase()}`;
    } else if ((!next || next.text === ';') && clauseOf(t) === 'group') {
      const last = !next ? t : next;
      if (last === t || onlyTextBetween(map, t, next!)) problem = 'a comma at the end of GROUP BY';
    }
    if (problem) out.push(finding('DCR201', `The rendered SQL does not parse: ${problem}.`, at(t)));
  }
  return out;
}

/**
 * IDENTIFIER() with nothing in it: certain when the template wrote it so; when a value
 * rendered empty (an argument the sample render left undefined) it is only unverified.
 */
function emptyIdentifiers(toks: SqlToken[], map: SourceMap, out: Finding[]): Unverified[] {
  const info: Unverified[] = [];
  for (let k = 0; k + 2 < toks.length; k++) {
    if (!/^identifier$/i.test(toks[k]!.text) || toks[k + 1]!.text !== '(') continue;
    const inner = toks[k + 2]!;
    const empty = inner.text === ')' ? null : inner.text === "''" && toks[k + 3]?.text === ')' ? inner : undefined;
    if (empty === undefined) continue;
    const close = empty ? toks[k + 3]! : inner;
    const written = empty ? map.textOffset(empty.start) !== null && map.textOffset(empty.end - 1) !== null : onlyTextBetween(map, toks[k + 1]!, close);
    if (written)
      out.push(finding('DCR201', 'The rendered SQL does not parse: IDENTIFIER() needs a name.', map.span(toks[k]!.start, close.end) ?? { start: 0, end: 0 }));
    else
      info.push({
        offset: toks[k]!.start,
        reason: 'IDENTIFIER() renders empty with the sample arguments (an argument is missing or undefined)',
        label: 'empty IDENTIFIER()',
      });
  }
  return info;
}

// ------------------------------------------------------------------ DCR202

const QUERY_KEYWORDS = new Set(['select', 'with', '(', 'call', 'execute']);

function queryShape(sql: string, top: SqlStatement[], script: boolean, map: SourceMap): Finding[] {
  if (script) return [];
  // A ';' that a value produced (an HTML-escaped '&gt;' is one) is another rule's finding.
  const stmts = top.filter(
    (s, i) => s.start < s.end && map.textOffset(s.start) !== null && (i === 0 || map.textOffset(sql.lastIndexOf(';', s.start)) !== null),
  );
  // Only a statement that starts with a keyword is "a <KEYWORD> statement"; other junk is the parser's (DCR200).
  const bad = stmts.find(s => /^[a-z_]+$/.test(s.keyword) && !QUERY_KEYWORDS.has(s.keyword));
  if (bad) {
    return [
      finding(
        'DCR202',
        `This analysis template renders a ${bad.keyword.toUpperCase()} statement, not a query: analysis templates must resolve to a single SELECT (or a script block, or a CALL of a clean room procedure).`,
        map.point(bad.start, sql) ?? { start: 0, end: 0 },
      ),
    ];
  }
  if (stmts.length > 1) {
    return [
      finding(
        'DCR202',
        `This analysis template renders ${stmts.length} statements: an analysis template must resolve to a single query (use a BEGIN … END block for several statements).`,
        map.point(stmts[1]!.start, sql) ?? { start: 0, end: 0 },
      ),
    ];
  }
  return [];
}

// ------------------------------------------------------------------ DCR203-205

interface CreateTarget {
  statement: SqlStatement;
  /** The table name as Snowflake reads it, or null for IDENTIFIER(:variable). */
  name: string | null;
  tokens: SqlToken[];
  span: { start: number; end: number };
}

/** Tokens inside [start, end) (tokens are in text order). */
function tokensIn(tokens: SqlToken[], start: number, end: number): SqlToken[] {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < start) lo = mid + 1;
    else hi = mid;
  }
  const out: SqlToken[] = [];
  for (let k = lo; k < tokens.length && tokens[k]!.end <= end; k++) out.push(tokens[k]!);
  return out;
}

function createTargets(statements: SqlStatement[], tokens: SqlToken[]): CreateTarget[] {
  const out: CreateTarget[] = [];
  for (const st of statements) {
    if (st.kind !== 'sql' || st.keyword !== 'create') continue;
    const toks = tokensIn(tokens, st.start, st.end);
    let k = toks.findIndex(t => /^table$/i.test(t.text));
    if (k < 0 || toks.slice(1, k).some(t => !/^(or|replace|local|global|temp|temporary|volatile|transient)$/i.test(t.text))) continue;
    k++;
    if (/^if$/i.test(toks[k]?.text ?? '')) k += 3;
    const first = toks[k];
    if (!first) continue;
    if (/^identifier$/i.test(first.text) && toks[k + 1]?.text === '(') {
      const arg = toks[k + 2];
      const close = toks[k + 3]?.text === ')' ? toks[k + 3]! : toks[k + 4];
      const name = arg?.type === 'string' ? unquoteName(arg.text) : null;
      out.push({ statement: st, name, tokens: toks.slice(k, k + 4), span: { start: first.start, end: (close ?? arg ?? first).end } });
      continue;
    }
    const parts: SqlToken[] = [first];
    let j = k + 1;
    while (toks[j]?.text === '.' && toks[j + 1]) {
      parts.push(toks[j]!, toks[j + 1]!);
      j += 2;
    }
    const name = parts
      .filter(t => t.text !== '.')
      .map(t => unquoteName(t.text))
      .join('.');
    out.push({ statement: st, name, tokens: parts, span: { start: first.start, end: parts[parts.length - 1]!.end } });
  }
  return out;
}

const ACTIVATION_TABLE = /^cleanroom\.(activation_data_(\w+)|temp_result_data)$/i;

function activationRules(sql: string, statements: SqlStatement[], tokens: SqlToken[], map: SourceMap, check: SqlCheck): Finding[] {
  const out: Finding[] = [];
  const targets = createTargets(statements, tokens);
  const fromText = (t: CreateTarget) => t.tokens.every(x => map.textOffset(x.start) !== null && map.textOffset(x.end - 1) !== null);
  const activation = targets.filter(t => t.name === null || ACTIVATION_TABLE.test(t.name));
  const fixedActivation = activation.filter(t => t.name !== null);

  if (!activation.length) {
    // A name built from a value cannot be judged from a sample render.
    if (targets.some(t => !fromText(t))) return out;
    const t = targets[targets.length - 1];
    const schemaMissing = t && /^activation_data_\w+$/i.test(t.name ?? '');
    const msg = !t
      ? 'This activation template creates no table: it must create cleanroom.activation_data_<suffix> (or, for a provider-run activation, cleanroom.temp_result_data) and return the suffix.'
      : schemaMissing
        ? `This activation template creates ${t.name}, outside the cleanroom schema: create cleanroom.${t.name}, the only place activation reads from.`
        : `This activation template creates ${t.name}, but activation reads only cleanroom.activation_data_<suffix> (or cleanroom.temp_result_data for a provider-run activation).`;
    out.push(finding('DCR203', msg, t ? (map.span(t.span.start, t.span.end) ?? { start: 0, end: 0 }) : firstTokenSpan(tokens, map)));
    return out;
  }

  // A RETURN swallowed by the statement before it (its ';' is missing): `… AS c RETURN 'x';`
  // inside a script cannot parse. That is the mistake, not a missing RETURN (DCR204).
  const swallowed = statements
    .filter(st => st.kind === 'sql')
    .flatMap(st => {
      const toks = tokensIn(tokens, st.start, st.end);
      let depth = 0;
      return toks.filter((t, k) => {
        if (t.text === '(') depth++;
        else if (t.text === ')') depth--;
        const prev = toks[k - 1];
        return (
          depth === 0 &&
          k > 1 &&
          /^return$/i.test(t.text) &&
          toks[k + 1]?.type === 'string' &&
          !!prev &&
          ['ident', 'quoted'].includes(prev.type) &&
          !/^(select|as|by|and|or|not|distinct)$/i.test(prev.text) &&
          toks[k - 2]?.text !== '.' &&
          map.textOffset(t.start) !== null
        );
      });
    });
  if (swallowed.length) {
    const t = swallowed[0]!;
    out.push(
      finding(
        'DCR201',
        "The rendered SQL does not parse: this RETURN is inside the statement before it; end that statement with ';' first.",
        map.span(t.start, t.end) ?? { start: 0, end: 0 },
      ),
    );
    return out;
  }
  // DCR204: RETURN the suffix. Only judged when the table name and the RETURN are plain text.
  const returns = statements.filter(s => s.kind === 'return');
  const judged = fixedActivation.filter(fromText);
  if (judged.length && judged.length === fixedActivation.length && activation.length === fixedActivation.length) {
    const suffixes = judged.map(t => {
      const m = ACTIVATION_TABLE.exec(t.name!)!;
      return (m[2] ?? m[1]!).toLowerCase();
    });
    const target = judged[judged.length - 1]!;
    const expected = suffixes[suffixes.length - 1]!;
    if (!returns.length) {
      out.push(
        finding(
          'DCR204',
          `This activation template creates ${target.name} but returns nothing: end the script with RETURN '${expected}'; (the table name without cleanroom.activation_data_).`,
          map.span(target.span.start, target.span.end) ?? { start: 0, end: 0 },
        ),
      );
    } else {
      const literal = returns.map(r => {
        const toks = tokensIn(tokens, r.start, r.end);
        const v = toks[1];
        const plain = toks.length === 2 && v?.type === 'string' && map.textOffset(v.start) !== null && map.textOffset(v.end - 1) !== null;
        return plain ? { value: unquoteName(v.text), tok: v } : null;
      });
      // A RETURN of a variable or of an expression cannot be judged here.
      if (literal.every(x => x !== null) && !literal.some(x => suffixes.includes(x!.value.toLowerCase()))) {
        const bad = literal[literal.length - 1]!;
        const whole = /^(cleanroom\.)?activation_data_/i.test(bad.value);
        out.push(
          finding(
            'DCR204',
            whole
              ? `RETURN '${bad.value}' returns the table name: an activation template returns only the suffix, RETURN '${expected}'.`
              : `RETURN '${bad.value}' does not name the table this template creates (${target.name}): return its suffix, '${expected}'.`,
            map.span(bad.tok.start, bad.tok.end) ?? { start: 0, end: 0 },
          ),
        );
      }
    }
  }

  // DCR205: computed columns of the activation table need aliases.
  for (const t of activation) {
    for (const c of check.createItems.get(t.statement.start) ?? []) {
      if (c.alias || c.named) continue;
      out.push(
        finding(
          'DCR205',
          `${sql.slice(c.start, c.end).replace(/\s+/g, ' ').slice(0, 60)} is a computed column without an alias: the activation table cannot be created from it. Add AS <name>.`,
          map.span(c.start, c.end) ?? { start: 0, end: 0 },
        ),
      );
    }
  }
  return out;
}

function firstTokenSpan(tokens: SqlToken[], map: SourceMap): Span {
  for (const t of tokens) {
    const s = map.span(t.start, t.end);
    if (s && map.textOffset(t.start) !== null) return s;
  }
  return { start: 0, end: 0 };
}
