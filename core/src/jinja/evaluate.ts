/**
 * Tree-walking evaluator for the Jinja AST, with Jinja2 3.1 semantics and (optionally)
 * JinjaSQL 0.1.8's bind layer on top. Template text never becomes JavaScript: this walks
 * the tree and reaches values only through the runtime's allow-listed operations.
 *
 * Scoping follows Jinja: `{% set %}` writes to the innermost scope; every loop iteration,
 * macro call, `with` and call-block body is its own scope; `if` is not a scope.
 */
import type * as A from './ast.js';
import type { Span } from '../text/span.js';
import {
  Markup,
  PyCallable,
  PyDict,
  PyObject,
  PyTuple,
  Undefined,
  Namespace,
  type CallArgs,
  type CallContext,
  type Limits,
  type OutputSegment,
  type PyValue,
} from './runtime/values.js';
import { JinjaError } from './runtime/errors.js';
import { RenderBudget, DEFAULT_LIMITS } from './runtime/budget.js';
import * as py from './runtime/pyops.js';
import { FILTERS, TESTS, createGlobals, type EvalHooks, type FilterFn } from './runtime/index.js';

/** A policy filter application seen during a render. */
export interface PolicyCheck {
  filter: string;
  /** The value the filter received (unchanged by it). */
  value: PyValue;
  /** True when the value was Markup (raw SQL), false when it will be bound. */
  raw: boolean;
  /** The `| filter` application. */
  span: Span;
  /** The filtered expression. */
  valueSpan: Span;
  /** Macro/call-block call sites, outermost last, when the filter ran inside one. */
  via: Span[];
}

export interface Bind {
  name: string;
  value: PyValue;
  /** The `{{ }}` (or `| inclause`) that produced it. */
  span: Span;
}

export interface EvalOptions {
  /** JinjaSQL: autoescape on, auto-bind of `{{ }}`, sqlsafe/inclause/bind filters. */
  jinjasql: boolean;
  limits?: Partial<Limits>;
  /** Extra filters (tests and tools); looked up before the builtins. */
  filters?: ReadonlyMap<string, FilterFn>;
}

export interface EvalResult {
  /** Raw output; in JinjaSQL mode bound values appear as private-use markers (see BIND_MARK). */
  raw: string;
  segments: OutputSegment[];
  binds: Bind[];
  checks: PolicyCheck[];
  /** Every `| sqlsafe` application, for the injection rule. */
  sqlsafe: PolicyCheck[];
  error: JinjaError | null;
  steps: number;
}

export const POLICY_FILTERS = ['join_policy', 'column_policy', 'activation_policy', 'join_and_column_policy'] as const;
const NO_BIND_LAST_TOKENS = new Set(['bind', 'inclause', 'sqlsafe']);

/**
 * A bound value is written as ONE private-use character standing for its index, so captured
 * text keeps the length it has in real JinjaSQL (where the placeholder is a single '?'), and
 * replaced by '?' or a SQL literal after rendering. 6400 BMP characters, then plane 15/16.
 */
export const BIND_MARK = /[\uE000-\uF8FF]|[\u{F0000}-\u{10FFFD}]/gu;
const BMP_MARKS = 0xf8ff - 0xe000 + 1;
const MAX_BINDS = BMP_MARKS + (0x10fffd - 0xf0000 + 1);

export function bindMarker(index: number): string {
  return index < BMP_MARKS ? String.fromCharCode(0xe000 + index) : String.fromCodePoint(0xf0000 + index - BMP_MARKS);
}

export function bindIndexOf(marker: string): number {
  const cp = marker.codePointAt(0)!;
  return cp <= 0xf8ff ? cp - 0xe000 : cp - 0xf0000 + BMP_MARKS;
}

const hasMarker = (s: string) => /[\uE000-\uF8FF]|[\u{F0000}-\u{10FFFD}]/u.test(s);

// ------------------------------------------------------------------ scopes

class Scope {
  readonly vars = new Map<string, PyValue>();
  constructor(readonly parent: Scope | null) {}
  lookup(name: string): PyValue | undefined {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- walking up the scope chain starts here
    for (let s: Scope | null = this; s; s = s.parent) {
      const v = s.vars.get(name);
      if (v !== undefined || s.vars.has(name)) return v;
    }
    return undefined;
  }
}

// ------------------------------------------------------------------ output

/** Beyond this many pieces the source map stops growing (the text is still complete). */
const MAX_SEGMENTS = 50_000;
/** Call sites kept per segment: enough to explain any real template. */
const MAX_VIA = 16;

class Output {
  text = '';
  readonly segments: OutputSegment[] = [];
  constructor(private readonly budget: RenderBudget) {}
  write(s: string, source: Span, kind: OutputSegment['kind'], via?: Span[]): void {
    if (!s) return;
    if (this.text.length + s.length > this.budget.limits.maxOutputChars) {
      throw new JinjaError('SecurityError', `output too large (more than ${this.budget.limits.maxOutputChars} characters)`);
    }
    this.budget.chargeOutput(s.length);
    if (this.segments.length >= MAX_SEGMENTS) {
      this.text += s;
      return;
    }
    const start = this.text.length;
    this.text += s;
    const seg: OutputSegment = { start, end: this.text.length, source, kind };
    if (via && via.length) seg.via = via;
    this.segments.push(seg);
  }
  /** Splices captured Markup back with its own segments, remapped under `site`. */
  writeCaptured(m: Markup, site: Span): void {
    const segs = m.segments;
    if (!segs || !segs.length) return this.write(m.text, site, 'markup');
    if (this.text.length + m.text.length > this.budget.limits.maxOutputChars) {
      throw new JinjaError('SecurityError', `output too large (more than ${this.budget.limits.maxOutputChars} characters)`);
    }
    this.budget.chargeOutput(m.text.length);
    const base = this.text.length;
    this.text += m.text;
    if (this.segments.length + segs.length > MAX_SEGMENTS) return;
    // Copying a captured source map is work too: charge it, so doubling captures stay bounded.
    this.budget.step(Math.ceil(segs.length / 32));
    // Segments of one macro body mostly share their call-site chain: extend each chain once.
    const extended = new Map<Span[] | undefined, Span[]>();
    for (const s of segs) {
      let via = extended.get(s.via);
      if (!via) {
        via = s.via && s.via.length >= MAX_VIA ? s.via : [...(s.via ?? []), site];
        extended.set(s.via, via);
      }
      const moved: OutputSegment = { start: base + s.start, end: base + s.end, source: s.source, kind: s.kind, via };
      this.segments.push(moved);
    }
  }
}

/** Attributes computed when read (loop.length is only known once asked for). */
class LazyAttrs extends Map<string, PyValue> {
  constructor(private readonly attr: (name: string) => PyValue | undefined) {
    super();
  }
  override get(name: string): PyValue | undefined {
    return this.attr(name);
  }
  override has(name: string): boolean {
    return this.attr(name) !== undefined;
  }
}

class Macro {
  constructor(
    readonly node: A.MacroNode | A.CallBlockNode,
    readonly name: string,
    readonly params: A.Param[],
    readonly body: A.Stmt[],
    readonly scope: Scope,
    readonly catchVarargs: boolean,
    readonly catchKwargs: boolean,
    readonly usesCaller: boolean,
  ) {}
}

const usageCache = new WeakMap<object, Set<string>>();
/** Names read anywhere in a body (Jinja decides varargs/kwargs/caller support this way). */
function namesUsed(body: A.Stmt[], key: object): Set<string> {
  let s = usageCache.get(key);
  if (s) return s;
  s = new Set();
  const seen = s;
  const walk = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(walk);
    const o = n as { kind?: string; name?: string };
    if (o.kind === 'Name' && typeof o.name === 'string') seen.add(o.name);
    // Nested macros declare their own varargs/kwargs; do not look inside them.
    if (o.kind === 'Macro') return;
    for (const k of Object.keys(o)) if (k !== 'span') walk((o as Record<string, unknown>)[k]);
  };
  walk(body);
  usageCache.set(key, s);
  return s;
}

// ------------------------------------------------------------------ the evaluator

/** Per parsed template and filter set: the unknown filter or test that fails it at compile time, or null. */
const NAME_CHECKS = new WeakMap<A.TemplateNode, Map<string, { message: string; span?: Span } | null>>();

export class Evaluator implements EvalHooks {
  readonly budget: RenderBudget;
  readonly autoescape: boolean;
  span: Span = { start: 0, end: 0 };
  private out: Output;
  private readonly binds: Bind[] = [];
  private readonly checks: PolicyCheck[] = [];
  private readonly safeApplications: PolicyCheck[] = [];
  private readonly filters = new Map<string, FilterFn>();
  private depth = 0;
  /** Call sites of the macros/call blocks being evaluated, innermost last. */
  private readonly callSites: Span[] = [];
  /** Characters of all bound strings: they are inlined into the output afterwards. */
  private boundChars = 0;

  constructor(private readonly options: EvalOptions) {
    this.budget = new RenderBudget({ ...DEFAULT_LIMITS, ...options.limits });
    this.autoescape = options.jinjasql;
    this.out = new Output(this.budget);
    for (const [k, v] of FILTERS) this.filters.set(k, v);
    for (const name of POLICY_FILTERS) this.filters.set(name, (ctx, value) => this.policyFilter(name, value, ctx));
    if (options.jinjasql) {
      this.filters.set('sqlsafe', (ctx, value) => {
        this.safeApplications.push(this.record('sqlsafe', value, ctx));
        return value instanceof Markup ? value : new Markup(py.str(value));
      });
      this.filters.set('bind', (_ctx, value, args) => {
        const name = argOrKw(args, 0, 'name', "bind() missing 1 required positional argument: 'name'");
        return this.bind(value, py.str(name));
      });
      this.filters.set('inclause', (_ctx, value) => {
        const parts = py.iterate(value, this.span).map(v => this.bindValue(v, 'inclause'));
        return '(' + parts.join(',') + ')';
      });
    }
    if (options.filters) for (const [k, v] of options.filters) this.filters.set(k, v);
  }

  run(template: A.TemplateNode, context: Map<string, PyValue>): EvalResult {
    const globals = new Scope(null);
    for (const [k, v] of createGlobals()) globals.vars.set(k, v);
    const root = new Scope(globals);
    for (const [k, v] of context) root.vars.set(k, v);
    let error: JinjaError | null = null;
    try {
      this.checkNames(template);
      this.block(template.body, root);
    } catch (e) {
      error = toJinjaError(e, this.span);
    }
    return {
      raw: this.out.text,
      segments: this.out.segments,
      binds: this.binds,
      checks: this.checks,
      sqlsafe: this.safeApplications,
      error,
      steps: this.budget.steps,
    };
  }

  // ---------------------------------------------------------------- hooks for filters

  callFilter(name: string, value: PyValue, args: CallArgs): PyValue {
    const f = this.filters.get(name);
    if (!f) throw new JinjaError('TemplateRuntimeError', `No filter named '${name}' found.`, this.span);
    this.budget.step();
    return f(this, value, args);
  }
  callTest(name: string, value: PyValue, args: CallArgs): boolean {
    const t = TESTS.get(name);
    if (!t) throw new JinjaError('TemplateRuntimeError', `No test named '${name}' found.`, this.span);
    this.budget.step();
    return t(this, value, args);
  }
  hasFilter(name: string): boolean {
    return this.filters.has(name);
  }
  hasTest(name: string): boolean {
    return TESTS.has(name);
  }
  call(fn: PyValue, args: CallArgs): PyValue {
    this.budget.step();
    if (fn instanceof PyCallable) {
      if (++this.depth > this.budget.limits.maxDepth) {
        throw new JinjaError('SecurityError', `calls nest too deeply (more than ${this.budget.limits.maxDepth} levels)`, this.span);
      }
      try {
        return fn.call(args, this);
      } finally {
        this.depth--;
      }
    }
    // The error belongs to the call, not to where the name was looked up.
    if (fn instanceof Undefined) throw new JinjaError('UndefinedError', fn.hint, this.span);
    throw new JinjaError('TypeError', `'${py.typeName(fn)}' object is not callable`, this.span);
  }

  // ---------------------------------------------------------------- JinjaSQL

  private bindValue(value: PyValue, name: string): string {
    // A placeholder bound again (`{{ v | bind('x') }}` is wrapped in a second bind) is, in
    // real JinjaSQL, the placeholder text itself.
    if (typeof value === 'string' && hasMarker(value)) value = value.replace(BIND_MARK, '?');
    if (this.binds.length >= MAX_BINDS) throw new JinjaError('SecurityError', `too many bound values (more than ${MAX_BINDS})`, this.span);
    // Bound values are inlined after rendering: their total counts towards the output cap.
    this.boundChars += typeof value === 'string' ? value.length : 8;
    if (this.boundChars > this.budget.limits.maxOutputChars) {
      throw new JinjaError('SecurityError', `bound values too large (more than ${this.budget.limits.maxOutputChars} characters)`, this.span);
    }
    // jinjasql numbers its parameters from 1 across the whole render.
    this.binds.push({ name: `${name}_${this.binds.length + 1}`, value, span: this.span });
    return bindMarker(this.binds.length - 1);
  }

  private bind(value: PyValue, name: string): PyValue {
    if (value instanceof Markup) return value;
    if (Array.isArray(value) || value instanceof PyTuple) {
      throw new JinjaError('MissingInClauseException', "Got a list or tuple. Did you forget to apply '|inclause' to your query?", this.span);
    }
    return this.bindValue(value, name);
  }

  private policyFilter(name: string, value: PyValue, ctx: CallContext): PyValue {
    this.checks.push(this.record(name, value, ctx));
    return value;
  }

  private record(name: string, value: PyValue, ctx: CallContext): PolicyCheck {
    return {
      filter: name,
      value,
      raw: value instanceof Markup,
      span: ctx.span,
      valueSpan: this.filterValueSpan ?? ctx.span,
      via: [...this.callSites].reverse(),
    };
  }
  private filterValueSpan: Span | null = null;

  // ---------------------------------------------------------------- static checks

  /**
   * Jinja resolves filter and test names when compiling: an unknown one fails the whole
   * template, except inside `if` statements and conditional expressions (Jinja's "soft"
   * frames), where it fails only when that branch runs.
   */
  private checkNames(template: A.TemplateNode): void {
    // The verdict depends only on the tree and the filter names: every render of the same
    // parse (a dozen per analysis) reuses it. Extra filters (tests, tools) are not cached.
    const key = this.options.filters ? null : this.options.jinjasql ? 'jinjasql' : 'jinja';
    const known = key ? NAME_CHECKS.get(template)?.get(key) : undefined;
    if (known !== undefined) {
      if (known) throw new JinjaError('TemplateAssertionError', known.message, known.span);
      return;
    }
    const remember = (verdict: { message: string; span?: Span } | null) => {
      if (!key) return;
      let m = NAME_CHECKS.get(template);
      if (!m) NAME_CHECKS.set(template, (m = new Map()));
      m.set(key, verdict);
    };
    const unknownFilter = (f: A.FilterApplication) => new JinjaError('TemplateAssertionError', `No filter named '${f.name}'.`, f.nameSpan);
    const walk = (n: unknown): void => {
      if (!n || typeof n !== 'object') return;
      if (Array.isArray(n)) {
        for (const x of n) walk(x);
        return;
      }
      const o = n as Record<string, unknown> & { kind?: string };
      if (o.kind === 'If' || o.kind === 'Cond') return;
      if (o.kind === 'Filter') {
        const f = o.filter as A.FilterApplication;
        if (!this.filters.has(f.name)) throw unknownFilter(f);
      } else if (o.kind === 'Test') {
        const t = o as unknown as A.TestExpr;
        if (!TESTS.has(t.name)) throw new JinjaError('TemplateAssertionError', `No test named '${t.name}'.`, t.nameSpan);
      } else if (o.kind === 'SetBlock' || o.kind === 'FilterBlock') {
        for (const f of (o as unknown as A.SetBlockNode).filters) if (!this.filters.has(f.name)) throw unknownFilter(f);
      }
      for (const k in o) {
        if (k === 'span') continue;
        const v = o[k];
        if (v !== null && typeof v === 'object') walk(v);
      }
    };
    try {
      walk(template.body);
    } catch (e) {
      if (e instanceof JinjaError) remember({ message: e.message, ...(e.span ? { span: e.span } : {}) });
      throw e;
    }
    remember(null);
  }

  // ---------------------------------------------------------------- statements

  private block(body: A.Stmt[], scope: Scope): void {
    for (const s of body) this.stmt(s, scope);
  }

  private stmt(s: A.Stmt, scope: Scope): void {
    this.span = s.span;
    switch (s.kind) {
      case 'Text':
        this.out.write(s.value, s.span, 'text');
        return;
      case 'Output':
        return this.output(s, scope);
      case 'If': {
        for (const b of s.branches) {
          if (py.truthy(this.expr(b.test, scope))) return this.block(b.body, scope);
        }
        if (s.else) this.block(s.else, scope);
        return;
      }
      case 'For':
        return this.forLoop(s, scope);
      case 'Set': {
        const v = this.expr(s.value, scope);
        return this.assign(s.target, v, scope);
      }
      case 'SetBlock': {
        let v: PyValue = this.capture(s.body, new Scope(scope), s.span);
        for (const f of s.filters) v = this.applyFilter(f, v, scope, s.span);
        return this.assign(s.target, v, scope);
      }
      case 'Macro': {
        const m = this.makeMacro(s, s.name, s.params, s.body, scope);
        scope.vars.set(s.name, m);
        return;
      }
      case 'CallBlock':
        return this.callBlock(s, scope);
      case 'FilterBlock': {
        let v: PyValue = this.capture(s.body, new Scope(scope), s.span);
        for (const f of s.filters) v = this.applyFilter(f, v, scope, s.span);
        return this.emit(v, s.span, 'expression');
      }
      case 'With': {
        const inner = new Scope(scope);
        for (const a of s.assignments) this.assign(a.target, this.expr(a.value, scope), inner);
        return this.block(s.body, inner);
      }
      case 'Block':
        return this.block(s.body, new Scope(scope));
      case 'Loader':
        throw new JinjaError(
          'TypeError',
          `no loader for this environment specified ('${s.tagName}' needs other template files; a clean room template is a single string)`,
          s.span,
        );
      case 'ErrorStmt':
        throw new JinjaError('TemplateSyntaxError', 'the template has a syntax error here', s.span);
    }
  }

  private output(s: A.OutputNode, scope: Scope): void {
    let v = this.expr(s.expr, scope);
    this.span = s.span;
    const noBind = s.lastToken?.type === 'name' && NO_BIND_LAST_TOKENS.has(s.lastToken.value);
    if (this.options.jinjasql && s.lastToken !== null && !noBind) {
      const before = v;
      v = this.bind(v, s.bindName);
      if (v !== before) {
        this.out.write(v as string, s.span, 'bind');
        return;
      }
    }
    this.emit(v, s.span, 'expression');
  }

  /** Writes a value as Jinja's output does (escaping plain text under autoescape). */
  private emit(v: PyValue, span: Span, kind: OutputSegment['kind']): void {
    if (v instanceof Markup) {
      if (v.segments && v.segments.length) return this.out.writeCaptured(v, span);
      return this.out.write(v.text, span, kind);
    }
    const text = this.autoescape ? py.escape(v).text : py.str(v, this.budget);
    this.out.write(text, span, kind);
  }

  /** Renders a body into its own buffer; the result is Markup under autoescape. */
  private capture(body: A.Stmt[], scope: Scope, site: Span): string | Markup {
    try {
      return this.captured(() => this.block(body, scope));
    } finally {
      this.span = site;
    }
  }

  /** Runs `render` into a fresh buffer and returns its text (Markup with its source map under autoescape). */
  private captured(render: () => void): string | Markup {
    const saved = this.out;
    this.out = new Output(this.budget);
    try {
      render();
      const text = this.out.text;
      if (!this.autoescape) return text;
      const m = new Markup(text);
      m.segments = this.out.segments;
      return m;
    } finally {
      this.out = saved;
    }
  }

  private forLoop(s: A.ForNode, scope: Scope): void {
    const iterable = this.expr(s.iter, scope);
    const renderLoop = (source: PyValue, depth: number): number => {
      // Python iterates a list live: appending to it inside the loop extends the loop.
      let items: PyValue[] = Array.isArray(source) && !s.filter ? source : py.iterate(source, s.iter.span);
      this.budget.checkListSize(items.length);
      if (s.filter) {
        items = items.filter(item => {
          this.budget.step();
          const tmp = new Scope(scope);
          this.assign(s.target, item, tmp);
          return py.truthy(this.expr(s.filter!, tmp));
        });
      }
      let lastChanged: PyValue[] | null = null;
      /** Jinja computes len() on first access and keeps it. */
      let cachedLength: number | null = null;
      const length = () => (cachedLength ??= items.length);
      let i = 0;
      for (; i < items.length; i++) {
        this.budget.step();
        this.budget.checkListSize(items.length);
        const index = i;
        const inner = new Scope(scope);
        const item = items[index]!;
        const attr = (name: string): PyValue | undefined => {
          switch (name) {
            case 'index':
              return index + 1;
            case 'index0':
              return index;
            case 'revindex':
              return length() - index;
            case 'revindex0':
              return length() - index - 1;
            case 'first':
              return index === 0;
            case 'last':
              return index === length() - 1;
            case 'length':
              return length();
            case 'depth':
              return depth;
            case 'depth0':
              return depth - 1;
            case 'previtem':
              return index > 0 ? items[index - 1]! : new Undefined('previtem', 'there is no previous item');
            case 'nextitem':
              return index < items.length - 1 ? items[index + 1]! : new Undefined('nextitem', 'there is no next item');
            case 'cycle':
              return new PyCallable('method', 'cycle', args => {
                if (!args.args.length) throw new JinjaError('TypeError', 'no items for cycling given', this.span);
                return args.args[index % args.args.length]!;
              });
            case 'changed':
              return new PyCallable('method', 'changed', args => {
                const changed = lastChanged === null || !py.eq(new PyTuple(lastChanged), new PyTuple(args.args));
                lastChanged = args.args;
                return changed;
              });
          }
          return undefined;
        };
        const loopObj = s.recursive
          ? new PyCallable(
              'LoopContext',
              'loop',
              args => this.recurse(renderLoop, args.args[0] ?? new Undefined('loop', 'missing loop argument'), depth + 1),
              new LazyAttrs(attr),
            )
          : new PyObject('LoopContext', attr, () => `<LoopContext ${index + 1}/${length()}>`);
        inner.vars.set('loop', loopObj);
        this.assign(s.target, item, inner);
        this.block(s.body, inner);
      }
      return i;
    };
    const iterations = renderLoop(iterable, 1);
    if (iterations === 0 && s.else) this.block(s.else, scope);
  }

  /** `loop(children)` in a recursive loop: renders the body again into a captured buffer. */
  private recurse(renderLoop: (source: PyValue, depth: number) => number, source: PyValue, depth: number): PyValue {
    return this.captured(() => renderLoop(source, depth));
  }

  private assign(t: A.Target, v: PyValue, scope: Scope): void {
    switch (t.kind) {
      case 'NameTarget':
        scope.vars.set(t.name, v);
        return;
      case 'TupleTarget': {
        const items = py.iterate(v, t.span);
        if (items.length < t.items.length) {
          throw new JinjaError('ValueError', `not enough values to unpack (expected ${t.items.length}, got ${items.length})`, t.span);
        }
        if (items.length > t.items.length) {
          throw new JinjaError('ValueError', `too many values to unpack (expected ${t.items.length})`, t.span);
        }
        t.items.forEach((sub, i) => this.assign(sub, items[i]!, scope));
        return;
      }
      case 'AttrTarget': {
        const ns = scope.lookup(t.object);
        if (!(ns instanceof Namespace)) {
          throw new JinjaError('TemplateRuntimeError', 'cannot assign attribute on non-namespace object', t.span);
        }
        ns.attrs.set(t.attr, v);
        return;
      }
    }
  }

  // ---------------------------------------------------------------- macros

  private makeMacro(node: A.MacroNode | A.CallBlockNode, name: string, params: A.Param[], body: A.Stmt[], scope: Scope): PyCallable {
    const used = namesUsed(body, node);
    const paramNames = new Set(params.map(p => p.name));
    const m = new Macro(node, name, params, body, scope, used.has('varargs'), used.has('kwargs'), used.has('caller') && !paramNames.has('caller'));
    const attrs = new Map<string, PyValue>([
      ['name', name],
      ['arguments', new PyTuple(params.map(p => p.name))],
      ['catch_kwargs', m.catchKwargs],
      ['catch_varargs', m.catchVarargs],
      ['caller', m.usesCaller],
    ]);
    return new PyCallable('Macro', name, args => this.invokeMacro(m, args), attrs);
  }

  private invokeMacro(m: Macro, args: CallArgs): PyValue {
    const site = this.span;
    const scope = new Scope(m.scope);
    const positional = args.args;
    const kwargs = new Map(args.kwargs);
    if (positional.length > m.params.length && !m.catchVarargs) {
      throw new JinjaError('TypeError', `macro '${m.name}' takes not more than ${m.params.length} argument(s)`, site);
    }
    m.params.forEach((p, i) => {
      if (i < positional.length) {
        if (kwargs.has(p.name)) throw new JinjaError('TypeError', `macro '${m.name}' got multiple values for argument '${p.name}'`, site);
        scope.vars.set(p.name, positional[i]!);
      } else if (kwargs.has(p.name)) {
        scope.vars.set(p.name, kwargs.get(p.name)!);
        kwargs.delete(p.name);
      } else if (p.default) {
        scope.vars.set(p.name, this.expr(p.default, scope));
      } else {
        scope.vars.set(p.name, new Undefined(p.name, `parameter '${p.name}' was not provided`, site));
      }
    });
    if (m.usesCaller) {
      scope.vars.set('caller', kwargs.get('caller') ?? new Undefined('caller', 'No caller defined', site));
      kwargs.delete('caller');
    }
    if (m.catchVarargs) scope.vars.set('varargs', new PyTuple(positional.slice(m.params.length)));
    if (m.catchKwargs) scope.vars.set('kwargs', new PyDict([...kwargs].map(([k, v]) => [k, v] as [PyValue, PyValue])));
    else if (kwargs.size) {
      const k = [...kwargs.keys()][0]!;
      throw new JinjaError('TypeError', `macro '${m.name}' takes no keyword argument '${k}'`, site);
    }
    this.callSites.push(site);
    try {
      return this.capture(m.body, scope, site);
    } finally {
      this.callSites.pop();
      this.span = site;
    }
  }

  private callBlock(s: A.CallBlockNode, scope: Scope): void {
    const caller = this.makeMacro(s, 'caller', s.params, s.body, scope);
    const callee = this.expr(s.call.callee, scope);
    const args = this.evalArgs(s.call, scope);
    args.kwargs.set('caller', caller);
    this.span = s.span;
    const v = this.call(callee, args);
    this.emit(v, s.span, 'expression');
  }

  // ---------------------------------------------------------------- expressions

  expr(e: A.Expr, scope: Scope): PyValue {
    this.span = e.span;
    switch (e.kind) {
      case 'Const':
        switch (e.value.type) {
          case 'str':
            return e.value.value;
          case 'int':
            return e.value.value;
          case 'float':
            return py.float(e.value.value);
          case 'bool':
            return e.value.value;
          case 'none':
            return null;
        }
      // falls through (unreachable)
      case 'Name': {
        const v = scope.lookup(e.name);
        return v === undefined ? py.undefinedName(e.name, e.span) : v;
      }
      case 'List': {
        const items = e.items.map(i => this.expr(i, scope));
        this.budget.checkListSize(items.length);
        return items;
      }
      case 'Tuple':
        return new PyTuple(e.items.map(i => this.expr(i, scope)));
      case 'Dict': {
        const d = new PyDict();
        for (const { key, value } of e.items) {
          const k = this.expr(key, scope);
          py.dictKey(k, key.span);
          d.set(k, this.expr(value, scope));
        }
        return d;
      }
      case 'GetAttr': {
        const obj = this.expr(e.object, scope);
        this.span = e.span;
        if (obj instanceof Undefined) throw py.undefinedError(obj, e.span);
        return py.getattr(this, obj, e.attr);
      }
      case 'GetItem': {
        const obj = this.expr(e.object, scope);
        const key = this.expr(e.key, scope);
        this.span = e.span;
        if (obj instanceof Undefined) throw py.undefinedError(obj, e.span);
        return py.getitem(this, obj, key);
      }
      case 'Slice': {
        const obj = this.expr(e.object, scope);
        const start = e.start ? this.expr(e.start, scope) : null;
        const stop = e.stop ? this.expr(e.stop, scope) : null;
        const step = e.step ? this.expr(e.step, scope) : null;
        this.span = e.span;
        if (obj instanceof Undefined) throw py.undefinedError(obj, e.span);
        return py.slice(this, obj, start, stop, step);
      }
      case 'Call': {
        const fn = this.expr(e.callee, scope);
        const args = this.evalArgs(e, scope);
        this.span = e.span;
        return this.call(fn, args);
      }
      case 'Filter':
        return this.applyFilter(e.filter, this.expr(e.value, scope), scope, e.value.span);
      case 'Test': {
        const v = this.expr(e.value, scope);
        const args = this.evalArgs(e, scope);
        this.span = e.span;
        const r = this.callTest(e.name, v, args);
        return e.negated ? !r : r;
      }
      case 'Unary': {
        const v = this.expr(e.operand, scope);
        this.span = e.span;
        if (e.op === 'not') return !py.truthy(v);
        return py.unary(e.op, v, e.span);
      }
      case 'Binary': {
        const l = this.expr(e.left, scope);
        const r = this.expr(e.right, scope);
        this.span = e.span;
        return py.binop(this, e.op, l, r);
      }
      case 'Compare': {
        let left = this.expr(e.first, scope);
        for (const { op, expr } of e.rest) {
          const right = this.expr(expr, scope);
          this.span = e.span;
          let ok: boolean;
          if (op === '==') ok = py.eq(left, right);
          else if (op === '!=') ok = !py.eq(left, right);
          else if (op === 'in') ok = py.contains(right, left, e.span);
          else if (op === 'not in') ok = !py.contains(right, left, e.span);
          else ok = py.compare(op, left, right, e.span);
          if (!ok) return false;
          left = right;
        }
        return true;
      }
      case 'And': {
        const l = this.expr(e.left, scope);
        return py.truthy(l) ? this.expr(e.right, scope) : l;
      }
      case 'Or': {
        const l = this.expr(e.left, scope);
        return py.truthy(l) ? l : this.expr(e.right, scope);
      }
      case 'Cond':
        if (py.truthy(this.expr(e.test, scope))) return this.expr(e.then, scope);
        return e.else
          ? this.expr(e.else, scope)
          : new Undefined('', 'the inline if-expression on line evaluated to false and no else section was defined.', e.span);
      case 'Concat': {
        const parts = e.items.map(i => this.expr(i, scope));
        this.span = e.span;
        return py.concat(this, parts);
      }
      case 'ErrorExpr':
        throw new JinjaError('TemplateSyntaxError', 'the template has a syntax error here', e.span);
    }
  }

  private evalArgs(c: A.CallArgsExpr, scope: Scope): CallArgs {
    const args: PyValue[] = [];
    const kwargs = new Map<string, PyValue>();
    for (const a of c.args) {
      const v = this.expr(a.value, scope);
      if (a.name === null) args.push(v);
      else kwargs.set(a.name, v);
    }
    if (c.dynArgs) args.push(...py.iterate(this.expr(c.dynArgs, scope), c.dynArgs.span));
    if (c.dynKwargs) {
      const d = this.expr(c.dynKwargs, scope);
      if (!(d instanceof PyDict)) throw new JinjaError('TypeError', 'argument after ** must be a mapping', c.dynKwargs.span);
      for (const [k, v] of d.entries()) kwargs.set(py.str(k), v);
    }
    return { args, kwargs };
  }

  private applyFilter(f: A.FilterApplication, value: PyValue, scope: Scope, valueSpan: Span): PyValue {
    const args = this.evalArgs(f, scope);
    this.span = f.span;
    const savedValueSpan = this.filterValueSpan;
    this.filterValueSpan = valueSpan;
    try {
      return this.callFilter(f.name, value, args);
    } finally {
      this.filterValueSpan = savedValueSpan;
    }
  }
}

function argOrKw(args: CallArgs, index: number, name: string, missing: string): PyValue {
  if (args.args.length > index) return args.args[index]!;
  if (args.kwargs.has(name)) return args.kwargs.get(name)!;
  throw new JinjaError('TypeError', missing);
}

/** Turns anything thrown during a render into a JinjaError with a position; never rethrows. */
export function toJinjaError(e: unknown, span: Span): JinjaError {
  if (e instanceof JinjaError) {
    if (!e.span) e.span = span;
    return e;
  }
  if (e instanceof RangeError && /call stack/i.test(e.message)) {
    return new JinjaError('SecurityError', 'template recursion is too deep', span);
  }
  if (e instanceof RangeError) return new JinjaError('SecurityError', `resource limit: ${e.message}`, span);
  const msg = e instanceof Error ? e.message : String(e);
  return new JinjaError('RuntimeError', `internal error while rendering: ${msg}`, span);
}
