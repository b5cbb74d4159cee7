/**
 * The template engine's public surface: parse, render (concrete), and the two forms of
 * JinjaSQL output (binds inlined as SQL literals, or `?` placeholders with a bind list).
 */
import type { Span } from '../text/span.js';
import { indexOfRange } from '../text/ranges.js';
import type { Finding } from '../findings.js';
import { parse, type ParseResult } from './parse.js';
import { Evaluator, bindIndexOf, toJinjaError, type PolicyCheck, type Bind } from './evaluate.js';
import { Markup, PyDict, Undefined, type Limits, type OutputSegment, type PyValue } from './runtime/values.js';
import type { FilterFn } from './runtime/index.js';
import { DEFAULT_LIMITS } from './runtime/budget.js';
import * as py from './runtime/pyops.js';

export { parse, type ParseResult };
export type { PolicyCheck, Bind };
export { parseArguments, fromJs, toJs } from './runtime/json.js';
export { repr, str } from './runtime/pyops.js';

export interface RenderOptions {
  /** JinjaSQL semantics (autoescape, auto-bind, sqlsafe/inclause/bind). Default true. */
  jinjasql?: boolean;
  limits?: Partial<Limits>;
  filters?: ReadonlyMap<string, FilterFn>;
  /** Reuse a parse of the same source (the server parses once per document version). */
  parsed?: ParseResult;
}

export interface RenderError {
  type: string;
  message: string;
  span?: Span;
}

export interface RenderOutcome {
  /** Jinja mode: the text. JinjaSQL mode: SQL with bound values inlined as literals. Null on error. */
  output: string | null;
  /** What was rendered before an error stopped the render (for previews). */
  partial: string;
  /** JinjaSQL mode: the query with `?` placeholders. */
  query?: string;
  /** JinjaSQL mode: `segments` in `query` offsets (a bind is one `?`, an inclause `(?,?)`). */
  querySegments?: OutputSegment[];
  /** JinjaSQL mode: the bound values in bind order, with jinjasql's parameter names. */
  binds?: { name: string; value: PyValue; span: Span }[];
  error: RenderError | null;
  syntaxErrors: Finding[];
  /** Output spans of `output` (or `partial`) and the template ranges that produced them. */
  segments: OutputSegment[];
  checks: PolicyCheck[];
  /** Every `| sqlsafe` application (value and place). */
  sqlsafe: PolicyCheck[];
  steps: number;
}

export type RenderContext = PyDict | ReadonlyMap<string, PyValue> | Readonly<Record<string, PyValue>>;

export function renderString(source: string, context: RenderContext | PyValue, options: RenderOptions = {}): RenderOutcome {
  try {
    return renderUnsafe(source, context, options);
  } catch (e) {
    // Last line of defence: the engine reports, it never throws (e.g. a JS stack overflow).
    const error = toJinjaError(e, { start: 0, end: 0 });
    return {
      output: null,
      partial: '',
      error: { type: error.type, message: error.message },
      syntaxErrors: [],
      segments: [],
      checks: [],
      sqlsafe: [],
      steps: 0,
    };
  }
}

function renderUnsafe(source: string, context: RenderContext | PyValue, options: RenderOptions): RenderOutcome {
  const jinjasql = options.jinjasql ?? true;
  const parsed = options.parsed ?? parse(source, { jinjasql });
  if (parsed.errors.length) {
    const first = parsed.errors[0]!;
    return {
      output: null,
      partial: '',
      error: { type: 'TemplateSyntaxError', message: first.message, span: first.span },
      syntaxErrors: parsed.errors,
      segments: [],
      checks: [],
      sqlsafe: [],
      steps: 0,
    };
  }
  const ev = new Evaluator({ jinjasql, ...(options.limits ? { limits: options.limits } : {}), ...(options.filters ? { filters: options.filters } : {}) });
  const r = ev.run(parsed.template, toContextMap(context));
  const error = r.error ? { type: r.error.type, message: r.error.message, ...(r.error.span ? { span: r.error.span } : {}) } : null;
  if (!jinjasql) {
    return {
      output: error ? null : r.raw,
      partial: r.raw,
      error,
      syntaxErrors: [],
      segments: r.segments,
      checks: r.checks,
      sqlsafe: r.sqlsafe,
      steps: r.steps,
    };
  }
  let inline = substituteBinds(r.raw, r.segments, i => sqlLiteral(r.binds[i]!.value));
  let err = error;
  const cap = options.limits?.maxOutputChars ?? DEFAULT_LIMITS.maxOutputChars;
  if (inline.text.length > cap) {
    // Bound values are inlined after rendering: the cap applies to what the user gets.
    err = { type: 'SecurityError', message: `output too large once bound values are inlined (more than ${cap} characters)` };
    inline = { text: inline.text.slice(0, cap), segments: inline.segments.filter(s => s.end <= cap) };
  }
  const outcome: RenderOutcome = {
    output: err ? null : inline.text,
    partial: inline.text,
    binds: r.binds,
    error: err,
    syntaxErrors: [],
    segments: inline.segments,
    checks: r.checks,
    sqlsafe: r.sqlsafe,
    steps: r.steps,
  };
  // Only the preview in placeholder mode and `dcr render --binds placeholders` read the `?`
  // form, while every check renders: compute it on first read.
  let placeholders: { text: string; segments: OutputSegment[] } | undefined;
  const lazy = () => (placeholders ??= substituteBinds(r.raw, r.segments, () => '?'));
  Object.defineProperties(outcome, {
    query: { get: () => lazy().text, enumerable: true, configurable: true },
    querySegments: { get: () => lazy().segments, enumerable: true, configurable: true },
  });
  return outcome;
}

/** The output segment containing `offset` (segments are sorted and disjoint), or undefined. */
export function segmentAt(segments: readonly OutputSegment[], offset: number): OutputSegment | undefined {
  return segments[indexOfRange(segments, offset)];
}

/** How a bound value reads when inlined into SQL (what Snowflake shows for the rendered query). */
export function sqlLiteral(v: PyValue): string {
  // Markup is a str: when it is bound (inclause binds every element) it is quoted too.
  if (typeof v === 'string' || v instanceof Markup) return `'${(typeof v === 'string' ? v : v.text).replace(/'/g, "''")}'`;
  if (v instanceof Undefined) return '';
  return py.str(v);
}

/** Replaces bind markers and moves the segment offsets to match the new text. */
export function substituteBinds(raw: string, segments: OutputSegment[], literal: (index: number) => string): { text: string; segments: OutputSegment[] } {
  const marks: { rawStart: number; rawEnd: number; outStart: number; outEnd: number }[] = [];
  let text = '';
  let last = 0;
  // The markers BIND_MARK matches, found by code unit: a Unicode-mode regex over every render
  // output was a tenth of the render.
  const n = raw.length;
  for (let at = 0; at < n; at++) {
    const c = raw.charCodeAt(at);
    let len = 0;
    if (c >= 0xe000 && c <= 0xf8ff) len = 1;
    else if (c >= 0xdb80 && c <= 0xdbff && at + 1 < n) {
      const d = raw.charCodeAt(at + 1);
      const cp = d >= 0xdc00 && d <= 0xdfff ? ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000 : 0;
      if (cp >= 0xf0000 && cp <= 0x10fffd) len = 2;
    }
    if (!len) continue;
    const mark = raw.slice(at, at + len);
    text += raw.slice(last, at);
    const lit = literal(bindIndexOf(mark));
    marks.push({ rawStart: at, rawEnd: at + len, outStart: text.length, outEnd: text.length + lit.length });
    text += lit;
    last = at + len;
    at += len - 1;
  }
  text += raw.slice(last);
  if (!marks.length) return { text, segments };
  // Segments are sorted and disjoint, so one forward walk over the marks maps them all.
  let k = -1;
  const map = (o: number): number => {
    while (k + 1 < marks.length && marks[k + 1]!.rawStart < o) k++;
    while (k >= 0 && marks[k]!.rawStart >= o) k--;
    if (k < 0) return o;
    const mk = marks[k]!;
    return o >= mk.rawEnd ? mk.outEnd + (o - mk.rawEnd) : mk.outEnd;
  };
  const out = new Array<OutputSegment>(segments.length);
  for (let i = 0; i < segments.length; i++) {
    const s = segments[i]!;
    // Built field by field: an object spread per segment dominated renders of long templates.
    const moved: OutputSegment = { start: map(s.start), end: 0, source: s.source, kind: s.kind };
    moved.end = map(s.end);
    if (s.via) moved.via = s.via;
    out[i] = moved;
  }
  return { text, segments: out };
}

function toContextMap(context: RenderContext | PyValue): Map<string, PyValue> {
  const m = new Map<string, PyValue>();
  if (context === null || typeof context !== 'object' || Array.isArray(context)) return m;
  if (context instanceof PyDict) {
    for (const [k, v] of context.entries()) if (typeof k === 'string') m.set(k, v);
  } else if (context instanceof Map) {
    for (const [k, v] of context) m.set(k, v);
  } else if (Object.getPrototypeOf(context) === Object.prototype) {
    // Only plain records: class instances (PyTuple, Markup...) are values, not contexts.
    for (const k of Object.keys(context)) m.set(k, (context as Record<string, PyValue>)[k]!);
  }
  return m;
}
