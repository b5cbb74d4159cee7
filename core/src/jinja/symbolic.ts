/**
 * Symbolic rendering: renders a template with made-up caller arguments whose every string is
 * a unique, traceable sentinel, then reports for each argument element which policy filters
 * it passed and where it landed in the output (bound or raw, and from which template range).
 *
 * Tracking by sentinel text rather than by wrapping values keeps the evaluator unchanged and
 * follows values through anything a template does to them (concatenation, `~`, `upper`,
 * `split`, macros, set blocks). Lists are rendered at several lengths, since a template that
 * is right for one provider can be wrong for two.
 */
import type * as A from './ast.js';
import type { Span } from '../text/span.js';
import { visit } from './visit.js';
import { renderString, segmentAt, type RenderOutcome } from './index.js';
import type { ParseResult } from './parse.js';
import { PyDict, Markup, type PyValue } from './runtime/values.js';
import * as py from './runtime/pyops.js';
import { PROVIDED_OBJECTS, PROVIDED_TABLE_LISTS } from '../provided.js';

/** 'callable': a name the template calls; callers never pass functions, so it stays undefined. */
export type ArgShape = 'string' | 'list' | 'dict' | 'number' | 'predicate' | 'callable';

export interface SymbolicUse {
  /** The argument element, e.g. 'dimensions[2]' or 'where_clause'. */
  path: string;
  /** Where the sentinel appears in the rendered output (inline form). */
  output: Span;
  /** The template range that produced it. */
  source: Span;
  /** Call sites when it came out of a macro. */
  via: Span[];
  /** True when the value reached the SQL as a bound literal, false when raw (sqlsafe). */
  bound: boolean;
}

export interface SymbolicCheck {
  path: string;
  filter: string;
  raw: boolean;
  /** The filter application. */
  span: Span;
  via: Span[];
}

export interface SymbolicRender {
  /** The length of each list argument in this render. */
  shape: ListShape;
  /** The longest list in this render. */
  listLength: number;
  outcome: RenderOutcome;
  uses: SymbolicUse[];
  checks: SymbolicCheck[];
  /** sentinel number -> argument path */
  paths: Map<number, string>;
}

export interface SymbolicResult {
  args: Map<string, ArgShape>;
  renders: SymbolicRender[];
}

const GLOBAL_NAMES = new Set(['range', 'dict', 'lipsum', 'cycler', 'joiner', 'namespace', 'loop', 'caller', 'varargs', 'kwargs', 'self']);
/** Lists by name: the tables Snowflake links in, and the documented list arguments of its templates. */
const LIST_RESERVED = new Set([...PROVIDED_TABLE_LISTS, 'dimensions', 'measure_column', 'measure_columns']);
const LIST_FILTERS = new Set([
  'length',
  'count',
  'first',
  'last',
  'join',
  'inclause',
  'list',
  'batch',
  'slice',
  'sort',
  'unique',
  'map',
  'select',
  'reject',
  'selectattr',
  'rejectattr',
  'sum',
  'min',
  'max',
  'reverse',
]);
const STR_METHODS = new Set([
  'split',
  'upper',
  'lower',
  'strip',
  'replace',
  'startswith',
  'endswith',
  'format',
  'rsplit',
  'lstrip',
  'rstrip',
  'title',
  'capitalize',
]);

const FREE = new WeakMap<A.TemplateNode, ReadonlySet<string>>();

/** The caller arguments a template reads: free names that nothing in the template assigns (once per parsed template: many rules ask). */
export function freeVariables(template: A.TemplateNode): ReadonlySet<string> {
  let free = FREE.get(template);
  if (!free) FREE.set(template, (free = computeFreeVariables(template)));
  return free;
}

function computeFreeVariables(template: A.TemplateNode): Set<string> {
  const read = new Set<string>();
  const bound = new Set<string>();
  const bindTarget = (t: A.Target): void => {
    if (t.kind === 'NameTarget') bound.add(t.name);
    else if (t.kind === 'TupleTarget') t.items.forEach(bindTarget);
  };
  visit(template.body, n => {
    switch (n.kind) {
      case 'Name':
        read.add((n as A.NameExpr).name);
        break;
      case 'For':
      case 'Set':
      case 'SetBlock':
        bindTarget((n as A.ForNode).target);
        break;
      case 'With':
        (n as A.WithNode).assignments.forEach(a => bindTarget(a.target));
        break;
      case 'Macro':
        bound.add((n as A.MacroNode).name);
        (n as A.MacroNode).params.forEach(p => bound.add(p.name));
        break;
      case 'CallBlock':
        (n as A.CallBlockNode).params.forEach(p => bound.add(p.name));
        break;
    }
  });
  return new Set([...read].filter(n => !bound.has(n) && !GLOBAL_NAMES.has(n)));
}

/** Guesses each argument's shape from how the template uses it. */
export function inferShapes(template: A.TemplateNode, names: ReadonlySet<string>): Map<string, ArgShape> {
  const shapes = new Map<string, ArgShape>();
  for (const n of names) {
    if (LIST_RESERVED.has(n)) shapes.set(n, 'list');
    else if (PROVIDED_OBJECTS.has(n)) shapes.set(n, 'dict');
    else if (/where|clause|filter|condition|predicate/i.test(n)) shapes.set(n, 'predicate');
  }
  const rootName = (e: A.Expr): string | null => {
    let x: A.Expr = e;
    while (x.kind === 'Slice' || (x.kind === 'Filter' && ['list', 'sort', 'reverse', 'unique'].includes(x.filter.name)))
      x = x.kind === 'Slice' ? x.object : x.value;
    return x.kind === 'Name' && names.has(x.name) ? x.name : null;
  };
  const setIfUnknown = (n: string | null, s: ArgShape) => {
    if (n && !shapes.has(n)) shapes.set(n, s);
  };
  visit(template.body, n => {
    const e = n as A.Expr | A.Stmt;
    if (e.kind === 'Call' && e.callee.kind === 'Name' && names.has(e.callee.name)) shapes.set(e.callee.name, 'callable');
    else if (e.kind === 'For') setIfUnknown(rootName(e.iter), 'list');
    else if (e.kind === 'Slice') setIfUnknown(rootName(e.object), 'list');
    else if (e.kind === 'GetItem') {
      const k = e.key;
      if (k.kind === 'Const' && k.value.type === 'str') setIfUnknown(rootName(e.object), 'dict');
      else setIfUnknown(rootName(e.object), 'list');
    } else if (e.kind === 'GetAttr') {
      setIfUnknown(rootName(e.object), STR_METHODS.has(e.attr) ? 'string' : 'dict');
    } else if (e.kind === 'Filter' && LIST_FILTERS.has(e.filter.name)) setIfUnknown(rootName(e.value), 'list');
    else if (e.kind === 'Compare') {
      const all = [e.first, ...e.rest.map(r => r.expr)];
      if (all.some(x => x.kind === 'Const' && (x.value.type === 'int' || x.value.type === 'float'))) for (const x of all) setIfUnknown(rootName(x), 'number');
    } else if (e.kind === 'Binary' && e.op !== '+' && e.op !== '%') {
      setIfUnknown(rootName(e.left), 'number');
      setIfUnknown(rootName(e.right), 'number');
    }
  });
  for (const n of names) setIfUnknown(n, 'string');
  return shapes;
}

const SENTINEL = /dcrsym(\d+)x/gi;

/** Argument values with a made-up but recognisable shape (alias-qualified columns, tables, predicates). */
function sentinelFor(n: number, argName: string, shape: ArgShape, bare: boolean): string {
  if (/table/i.test(argName)) return `dcrdb.dcrschema.dcrsym${n}x`;
  if (shape === 'predicate') return `p.dcrsym${n}x = 1`;
  if (bare) return `dcrsym${n}x`;
  const alias = argName === 'my_table' || /^c_|consumer/i.test(argName) ? 'c' : 'p';
  return `${alias}.dcrsym${n}x`;
}

/** Evaluation steps all the shape renders of one template may take together. */
const SHAPE_STEP_BUDGET = 40_000;

/** One list length per list argument. */
export type ListShape = ReadonlyMap<string, number>;

/**
 * The list shapes to try: every list at 1, 2 and 3 items, then each list alone at 3 while
 * the others have 2 — a template can be right when all lists line up and wrong for
 * "3 dimensions and 2 source tables". Each list being the longer one covers every pair of
 * mismatched lists in both directions; shorter-alone shapes would repeat those pairs (the
 * honesty and published corpora find the same with and without them) at a render each.
 */
export function listShapes(lists: string[], maxRenders = 12): ListShape[] {
  const shapes: ListShape[] = [];
  const key = (m: ListShape) => lists.map(l => m.get(l)).join(',');
  const seen = new Set<string>();
  const add = (m: Map<string, number>) => {
    const k = key(m);
    if (!seen.has(k) && shapes.length < maxRenders) {
      seen.add(k);
      shapes.push(m);
    }
  };
  for (const n of [2, 1, 3]) add(new Map(lists.map(l => [l, n])));
  for (const l of lists) add(new Map(lists.map(x => [x, x === l ? 3 : 2])));
  return shapes;
}

export function describeShape(shape: ListShape): string {
  const parts = [...shape].map(([name, n]) => `${n} ${name}`);
  return parts.length ? `with ${parts.join(', ')}` : '';
}

export interface SymbolicOptions {
  maxRenders?: number;
  /**
   * Renders already made for this parse, by shape: a quick pass and the full one that follows
   * (or a preview) share them instead of rendering the same shape twice.
   */
  memo?: Map<string, SymbolicRender>;
}

export function renderSymbolic(source: string, parsed: ParseResult, options: SymbolicOptions = {}): SymbolicResult {
  const names = freeVariables(parsed.template);
  const shapes = inferShapes(parsed.template, names);
  const lists = [...shapes].filter(([, s]) => s === 'list').map(([n]) => n);
  const bare = new Set<string>();
  // Shapes cost a render each: a template that takes many steps gets fewer of them (the most
  // telling first), so the analysis stays interactive. Counted in steps, so deterministic.
  const memo = options.memo;
  const renderShape = (shape: ListShape): SymbolicRender => {
    if (!memo) return renderWith(source, parsed, shapes, shape, bare);
    const key = `${[...shape].map(([l, n]) => `${l}=${n}`).join(',')}|${[...bare].sort().join(',')}`;
    let r = memo.get(key);
    if (!r) memo.set(key, (r = renderWith(source, parsed, shapes, shape, bare)));
    return r;
  };
  const run = () => {
    const all = listShapes(lists, options.maxRenders);
    const first = renderShape(all[0]!);
    const affordable = Math.max(3, Math.floor(SHAPE_STEP_BUDGET / Math.max(1, first.outcome.steps)));
    return [first, ...all.slice(1, affordable).map(renderShape)];
  };
  let renders = run();
  // A value written after an alias in the template (`c.{{ col | sqlsafe }}`) is a bare
  // column name: render again with bare sentinels for those arguments.
  for (const r of renders) {
    const out = r.outcome.output ?? r.outcome.partial;
    for (const m of out.matchAll(/[A-Za-z0-9_]\.[pc]\.dcrsym(\d+)x/gi)) {
      const path = r.paths.get(Number(m[1]));
      if (path) bare.add(path.replace(/\[\d+\]$/, ''));
    }
  }
  if (bare.size) renders = run();
  return { args: shapes, renders };
}

function renderWith(source: string, parsed: ParseResult, shapes: Map<string, ArgShape>, listShape: ListShape, bare: Set<string>): SymbolicRender {
  const paths = new Map<number, string>();
  let counter = 0;
  const ctx = new PyDict();
  for (const [name, shape] of shapes) {
    let v: PyValue;
    if (shape === 'list') {
      v = Array.from({ length: listShape.get(name) ?? 2 }, (_, i) => {
        paths.set(++counter, `${name}[${i}]`);
        return sentinelFor(counter, name, 'string', bare.has(name));
      });
    } else if (shape === 'callable') continue;
    else if (shape === 'dict') v = name === 'preset_tables' ? presetTables(parsed) : new PyDict();
    else if (shape === 'number') v = 1000 + counter++;
    else {
      paths.set(++counter, name);
      v = sentinelFor(counter, name, shape, bare.has(name));
    }
    ctx.set(name, v);
  }
  const outcome = renderString(source, ctx, { jinjasql: true, parsed });
  return { shape: listShape, listLength: Math.max(0, ...listShape.values()), outcome, paths, ...trace(outcome, paths) };
}

function trace(outcome: RenderOutcome, paths: Map<number, string>): { uses: SymbolicUse[]; checks: SymbolicCheck[] } {
  const uses: SymbolicUse[] = [];
  const out = outcome.output ?? outcome.partial;
  for (const m of out.matchAll(SENTINEL)) {
    const path = paths.get(Number(m[1]));
    if (!path) continue;
    const at = m.index!;
    const seg = segmentAt(outcome.segments, at);
    uses.push({
      path,
      output: { start: at, end: at + m[0].length },
      source: seg?.source ?? { start: 0, end: 0 },
      via: seg?.via ?? [],
      bound: seg?.kind === 'bind',
    });
  }
  const checks: SymbolicCheck[] = [];
  for (const c of [...outcome.checks, ...outcome.sqlsafe]) {
    const text = c.value instanceof Markup ? c.value.text : py.str(c.value);
    for (const m of text.matchAll(SENTINEL)) {
      const path = paths.get(Number(m[1]));
      if (path) checks.push({ path, filter: c.filter, raw: c.raw, span: c.span, via: c.via });
    }
  }
  return { uses, checks };
}

/**
 * `preset_tables` is filled by Snowflake from the spec, not by the caller: each alias the
 * template reads (`preset_tables.pub`, `preset_tables['pub']`) gets a table name, so the SQL
 * around it renders and can be checked. The names are not tracked values (no caller chose them).
 */
function presetTables(parsed: ParseResult): PyDict {
  const tables = new PyDict();
  const isPreset = (e: A.Expr) => e.kind === 'Name' && (e as A.NameExpr).name === 'preset_tables';
  visit(parsed.template.body, n => {
    let alias: string | null = null;
    if (n.kind === 'GetAttr' && isPreset((n as A.GetAttrExpr).object)) alias = (n as A.GetAttrExpr).attr;
    else if (n.kind === 'GetItem' && isPreset((n as A.GetItemExpr).object)) {
      const key = (n as A.GetItemExpr).key;
      const c = key.kind === 'Const' ? (key as A.ConstExpr).value : null;
      if (c?.type === 'str') alias = c.value;
    }
    if (alias !== null && !tables.has(alias)) tables.set(alias, `PRESET_DB.PRESET_SCHEMA.${alias.toUpperCase()}`);
  });
  return tables;
}
