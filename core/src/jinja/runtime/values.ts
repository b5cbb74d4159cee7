/**
 * The value model of the template evaluator: Python values as Jinja2 sees them.
 *
 * Mapping (this is a contract shared by the evaluator, the runtime helpers and the filters):
 *   Python None        -> null
 *   Jinja Undefined    -> Undefined
 *   bool               -> boolean
 *   int                -> number (always an integer value; never a PyFloat), or PyBigInt
 *                         for integers beyond 2^53 that come from arguments
 *   float              -> PyFloat (so that 2.0 prints "2.0")
 *   str                -> string
 *   markupsafe.Markup  -> Markup
 *   list               -> PyValue[] (a plain JS array, mutable: append/extend work)
 *   tuple              -> PyTuple
 *   dict               -> PyDict (insertion ordered)
 *   range              -> PyRange
 *   namespace()        -> Namespace
 *   functions, macros, bound methods, loop/cycler/joiner objects -> PyCallable / PyObject
 *
 * Templates only ever reach values through these classes and the runtime's own lookup
 * tables: there is no path from a template to a JavaScript prototype, constructor or host
 * object. Never expose a raw JS function or object to the evaluator.
 */
import type { Span } from '../../text/span.js';

export type PyValue =
  null | Undefined | boolean | number | PyBigInt | PyFloat | string | Markup | PyValue[] | PyTuple | PyDict | PyRange | Namespace | PyCallable | PyObject;

/**
 * A Python int beyond 2^53, as arguments may carry (IDs, big thresholds): kept exact when
 * printed, bound, compared and in integer arithmetic. Template literals stay JS numbers.
 */
export class PyBigInt {
  constructor(readonly value: bigint) {}
}

/** A Python float. Arithmetic on it stays float; printing follows Python's repr. */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** markupsafe.Markup: a str that is already safe; operations with plain str escape the str. */
export class Markup {
  /**
   * Output segments captured with this text (set blocks, macro output), so a source map can
   * follow the text back into the macro body. Dropped by any transformation.
   */
  segments?: OutputSegment[];
  constructor(readonly text: string) {}
}

export class PyTuple {
  constructor(readonly items: readonly PyValue[]) {}
}

export class PyRange {
  constructor(
    readonly start: number,
    readonly stop: number,
    readonly step: number,
  ) {}
  get length(): number {
    const n = this.step > 0 ? Math.ceil((this.stop - this.start) / this.step) : Math.ceil((this.start - this.stop) / -this.step);
    return Math.max(0, n);
  }
  at(i: number): number {
    return this.start + i * this.step;
  }
}

/** Hashable key of a dict entry: Python keys compared by value (1 == 1.0 == True). */
export type DictKey = string | number | boolean | null;

/** An insertion-ordered dict. Keys are normalised with `dictKey` (see runtime). */
export class PyDict {
  readonly map = new Map<DictKey | string, { key: PyValue; value: PyValue }>();
  constructor(entries?: Iterable<[PyValue, PyValue]>) {
    if (entries) for (const [k, v] of entries) this.set(k, v);
  }
  static keyOf(k: PyValue): DictKey | string {
    if (k === null || typeof k === 'string' || typeof k === 'number') return k;
    if (typeof k === 'boolean') return k ? 1 : 0;
    if (k instanceof PyFloat) return Number.isInteger(k.value) ? k.value : `\u0000f${k.value}`;
    if (k instanceof PyBigInt) return `\u0000b${k.value}`;
    if (k instanceof Markup) return k.text;
    if (k instanceof PyTuple) return `\u0000t${k.items.map(i => String(PyDict.keyOf(i))).join('\u0001')}`;
    throw new TypeError('unhashable');
  }
  get(k: PyValue): PyValue | undefined {
    return this.map.get(PyDict.keyOf(k))?.value;
  }
  has(k: PyValue): boolean {
    return this.map.has(PyDict.keyOf(k));
  }
  set(k: PyValue, v: PyValue): void {
    const key = PyDict.keyOf(k);
    const existing = this.map.get(key);
    if (existing) existing.value = v;
    else this.map.set(key, { key: k, value: v });
  }
  delete(k: PyValue): boolean {
    return this.map.delete(PyDict.keyOf(k));
  }
  get size(): number {
    return this.map.size;
  }
  keys(): PyValue[] {
    return [...this.map.values()].map(e => e.key);
  }
  values(): PyValue[] {
    return [...this.map.values()].map(e => e.value);
  }
  entries(): [PyValue, PyValue][] {
    return [...this.map.values()].map(e => [e.key, e.value]);
  }
}

/** Jinja's namespace(): the only object whose attributes a template may assign. */
export class Namespace {
  readonly attrs = new Map<string, PyValue>();
}

/** Jinja's default Undefined: empty when printed or iterated, an error on most other uses. */
export class Undefined {
  constructor(
    /** The name that was looked up, e.g. 'nope' or the attribute name. */
    readonly name: string,
    /** Jinja's message, e.g. "'nope' is undefined" or "'dict object' has no attribute 'y'". */
    readonly hint: string,
    /** Where the lookup happened, for error positions. */
    readonly span?: Span,
  ) {}
}

/** Positional and keyword arguments of a call, already evaluated. */
export interface CallArgs {
  args: PyValue[];
  kwargs: Map<string, PyValue>;
}

/** Anything a template can call: builtins, bound methods, macros, caller(), loop(). */
export class PyCallable {
  constructor(
    /** Python-ish type name used in messages: 'function', 'builtin_function_or_method', 'Macro'. */
    readonly typeName: string,
    readonly name: string,
    readonly call: (args: CallArgs, ctx: CallContext) => PyValue,
    /** Read-only attributes a template may see (e.g. macro.name, macro.arguments). */
    readonly attrs?: ReadonlyMap<string, PyValue>,
  ) {}
}

/**
 * Other runtime objects with a fixed set of attributes (loop, cycler, joiner, lipsum...).
 * `getAttr` returns undefined for unknown attributes (the caller makes an Undefined).
 */
export class PyObject {
  constructor(
    readonly typeName: string,
    readonly getAttr: (name: string) => PyValue | undefined,
    readonly repr: () => string,
    /** Iteration support (e.g. a recursive loop object is not iterable: omit). */
    readonly iterate?: () => PyValue[],
  ) {}
}

/** What a runtime function needs from the evaluator: limits, escaping mode, output positions. */
export interface CallContext {
  readonly budget: Budget;
  /** True under JinjaSQL (autoescape on); false for plain Jinja2 conformance cases. */
  readonly autoescape: boolean;
  /** Span of the expression being evaluated, for errors. */
  readonly span: Span;
}

/** A piece of rendered output and the template range that produced it. */
export interface OutputSegment {
  /** Offsets in the rendered output. */
  start: number;
  end: number;
  /** The template range that produced the text: a text node, an expression, a tag. */
  source: Span;
  kind: 'text' | 'expression' | 'bind' | 'markup';
  /** Call sites (outermost last) when the text came from a macro, call or set block. */
  via?: Span[];
}

/** Resource limits; see budget.ts for the implementation. */
export interface Budget {
  /** Charges `n` evaluation steps (loop iterations, calls, filter applications). */
  step(n?: number): void;
  /** Throws a SecurityError when a string/list of `size` would exceed the caps. */
  checkStringSize(size: number): void;
  /** Charges new text created by repetition or concatenation against a per-render total. */
  chargeText(size: number): void;
  checkListSize(size: number): void;
  checkRangeSize(size: number): void;
  readonly limits: Limits;
}

export interface Limits {
  maxSteps: number;
  maxOutputChars: number;
  maxStringChars: number;
  maxListItems: number;
  maxRange: number;
  maxDepth: number;
}
