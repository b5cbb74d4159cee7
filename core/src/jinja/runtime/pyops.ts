/**
 * Python value semantics as Jinja2 3.1 on CPython shows them: printing, truthiness,
 * equality and ordering, arithmetic, `~`, `in`, iteration, len(), attribute and item lookup,
 * slicing and markupsafe escaping. Messages copy CPython's wording so a preview error reads
 * like the one Snowflake would report.
 */
import type { Span } from '../../text/span.js';
import { JinjaError } from './errors.js';
import { floatRepr, intText, powHalf, powInt } from './numfmt.js';
import { getMethod } from './methods.js';
import { percentFormat } from './format.js';
import {
  type Budget,
  type CallContext,
  type DictKey,
  Markup,
  Namespace,
  PyBigInt,
  PyCallable,
  PyDict,
  PyFloat,
  PyObject,
  PyRange,
  PyTuple,
  type PyValue,
  Undefined,
} from './values.js';

// ---------------------------------------------------------------- type helpers

export const isStr = (v: PyValue): v is string | Markup => typeof v === 'string' || v instanceof Markup;
export const strText = (v: string | Markup): string => (typeof v === 'string' ? v : v.text);
/** int or bool: Python's int-like values. */
export const isIntLike = (v: PyValue): v is number | boolean => typeof v === 'number' || typeof v === 'boolean';
export const isNumber = (v: PyValue): v is number | boolean | PyFloat => isIntLike(v) || v instanceof PyFloat;
export const numValue = (v: number | boolean | PyFloat): number => (v instanceof PyFloat ? v.value : Number(v));
export const float = (n: number): PyFloat => new PyFloat(n);

export function typeName(v: PyValue): string {
  if (v === null) return 'NoneType';
  if (v instanceof Undefined) return 'Undefined';
  switch (typeof v) {
    case 'boolean':
      return 'bool';
    case 'number':
      return 'int';
    case 'string':
      return 'str';
  }
  if (v instanceof PyFloat) return 'float';
  if (v instanceof PyBigInt) return 'int';
  if (v instanceof Markup) return 'Markup';
  if (Array.isArray(v)) return 'list';
  if (v instanceof PyTuple) return 'tuple';
  if (v instanceof PyDict) return 'dict';
  if (v instanceof PyRange) return 'range';
  if (v instanceof Namespace) return 'Namespace';
  if (v instanceof PyCallable) return v.typeName;
  return v.typeName;
}

/** jinja2.utils.object_type_repr: how Undefined hints name the container. */
export function objectTypeRepr(v: PyValue): string {
  if (v === null) return 'None';
  if (v instanceof Markup) return 'markupsafe.Markup object';
  if (v instanceof Namespace) return 'jinja2.utils.Namespace object';
  if (v instanceof Undefined) return 'jinja2.runtime.Undefined object';
  return `${typeName(v)} object`;
}

// ---------------------------------------------------------------- errors and Undefined

export const typeError = (msg: string, span?: Span): JinjaError => new JinjaError('TypeError', msg, span);

export function undefinedError(u: Undefined, span?: Span): JinjaError {
  return new JinjaError('UndefinedError', u.hint, u.span ?? span);
}

/** Undefined for a missing variable: "'x' is undefined". */
export function undefinedName(name: string, span?: Span): Undefined {
  return new Undefined(name, `'${name}' is undefined`, span);
}

/** Undefined for a failed lookup on `obj` (Jinja's Undefined._undefined_message). */
export function undefinedLookup(obj: PyValue, key: PyValue, span?: Span): Undefined {
  const name = typeof key === 'string' ? key : repr(key);
  const hint =
    typeof key === 'string' || key instanceof Markup
      ? `${pyStrRepr(objectTypeRepr(obj))} has no attribute ${repr(key)}`
      : `${objectTypeRepr(obj)} has no element ${repr(key)}`;
  return new Undefined(name, hint, span);
}

// ---------------------------------------------------------------- code points

const SURROGATE = /[\uD800-\uDFFF]/;
export const hasAstral = (s: string): boolean => SURROGATE.test(s);
export const codePoints = (s: string): string[] => Array.from(s);
export const strLen = (s: string): number => (hasAstral(s) ? Array.from(s).length : s.length);

/** Python ordering of strings: by code point (JS `<` compares UTF-16 units). */
export function compareStrings(a: string, b: string): number {
  if (!hasAstral(a) && !hasAstral(b)) return a < b ? -1 : a > b ? 1 : 0;
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i].codePointAt(0)! - y[i].codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length - y.length < 0 ? -1 : x.length > y.length ? 1 : 0;
}

// ---------------------------------------------------------------- escaping

export function escapeText(s: string): string {
  if (!/[&<>"']/.test(s)) return s;
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&#34;').replace(/'/g, '&#39;');
}

/** markupsafe.escape. */
export function escape(v: PyValue): Markup {
  if (v instanceof Markup) return v;
  return new Markup(escapeText(str(v)));
}

/** markupsafe.soft_str: Markup stays Markup, everything else becomes str. */
export function softStr(v: PyValue): string | Markup {
  return v instanceof Markup ? v : str(v);
}

// ---------------------------------------------------------------- str() and repr()

/** Guards against printing a structure so large it would exhaust memory. */
class Printer {
  size = 0;
  depth = 0;
  readonly seen = new Set<object>();
  constructor(private readonly budget?: Budget) {}
  grow(n: number): void {
    this.size += n;
    if (this.budget) this.budget.checkStringSize(this.size);
    else if (this.size > 50_000_000) throw new JinjaError('SecurityError', 'value too large to print');
  }
}

export function str(v: PyValue, budget?: Budget): string {
  if (typeof v === 'string') return v;
  if (v instanceof Markup) return v.text;
  if (v instanceof Undefined) return '';
  return reprWith(v, new Printer(budget));
}

export function repr(v: PyValue, budget?: Budget): string {
  return reprWith(v, new Printer(budget));
}

/** Python's repr of a str: quote choice and escapes. */
export function pyStrRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    if (ch === quote || ch === '\\') out += '\\' + ch;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (cp < 0x20 || cp === 0x7f) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp < 0x7f) out += ch;
    else if (isPrintable(ch)) out += ch;
    else if (cp <= 0xff) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out + quote;
}

const NON_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}\p{Zs}]/u;
/** str.isprintable for one code point: not Other or Separator (except the ASCII space). */
export const isPrintable = (ch: string): boolean => ch === ' ' || !NON_PRINTABLE.test(ch);

function reprWith(v: PyValue, p: Printer): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (typeof v === 'number') return intText(v);
  if (typeof v === 'string') {
    p.grow(v.length + 2);
    return pyStrRepr(v);
  }
  if (v instanceof PyFloat) return floatRepr(v.value);
  if (v instanceof PyBigInt) return v.value.toString();
  if (v instanceof Markup) {
    p.grow(v.text.length + 10);
    return `Markup(${pyStrRepr(v.text)})`;
  }
  if (v instanceof Undefined) return 'Undefined';
  if (v instanceof PyRange) return v.step === 1 ? `range(${v.start}, ${v.stop})` : `range(${v.start}, ${v.stop}, ${v.step})`;
  if (Array.isArray(v) || v instanceof PyTuple || v instanceof PyDict || v instanceof Namespace) {
    if (p.seen.has(v)) return Array.isArray(v) ? '[...]' : v instanceof PyTuple ? '(...)' : '{...}';
    // CPython's recursion limit; a deep structure must not overflow the JS stack.
    if (++p.depth > 990) throw new JinjaError('RuntimeError', 'maximum recursion depth exceeded while getting the repr of an object');
    p.seen.add(v);
    try {
      if (Array.isArray(v)) return `[${items(v, p)}]`;
      if (v instanceof PyTuple) return v.items.length === 1 ? `(${items(v.items, p)},)` : `(${items(v.items, p)})`;
      if (v instanceof PyDict) return dictRepr(v.entries(), p);
      return `<Namespace ${dictRepr(
        [...v.attrs].map(([k, x]) => [k, x] as [PyValue, PyValue]),
        p,
      )}>`;
    } finally {
      p.seen.delete(v);
      p.depth--;
    }
  }
  if (v instanceof PyCallable) {
    if (v.typeName === 'Macro') return `<Macro ${pyStrRepr(v.name)}>`;
    return `<${v.typeName} ${v.name}>`;
  }
  return v.repr();
}

function items(xs: readonly PyValue[], p: Printer): string {
  const parts: string[] = [];
  for (const x of xs) {
    const s = reprWith(x, p);
    p.grow(s.length + 2);
    parts.push(s);
  }
  return parts.join(', ');
}

function dictRepr(entries: [PyValue, PyValue][], p: Printer): string {
  const parts: string[] = [];
  for (const [k, x] of entries) {
    const s = `${reprWith(k, p)}: ${reprWith(x, p)}`;
    p.grow(s.length + 2);
    parts.push(s);
  }
  return `{${parts.join(', ')}}`;
}

// ---------------------------------------------------------------- truthiness, equality, order

export function truthy(v: PyValue): boolean {
  if (v === null || v instanceof Undefined) return false;
  switch (typeof v) {
    case 'boolean':
      return v;
    case 'number':
      return v !== 0;
    case 'string':
      return v.length > 0;
  }
  if (v instanceof PyFloat) return v.value !== 0;
  if (v instanceof PyBigInt) return v.value !== 0n;
  if (v instanceof Markup) return v.text.length > 0;
  if (Array.isArray(v)) return v.length > 0;
  if (v instanceof PyTuple) return v.items.length > 0;
  if (v instanceof PyDict) return v.size > 0;
  if (v instanceof PyRange) return v.length > 0;
  return true;
}

export function eq(a: PyValue, b: PyValue): boolean {
  return eqDepth(a, b, 0);
}

function eqDepth(a: PyValue, b: PyValue, depth: number): boolean {
  if (a === b) return true;
  if (depth > 500) throw new JinjaError('RuntimeError', 'maximum recursion depth exceeded in comparison');
  if (a instanceof PyBigInt || b instanceof PyBigInt) return bigOrder(a, b) === 0;
  if (isNumber(a) && isNumber(b)) return numValue(a) === numValue(b);
  if (isStr(a) && isStr(b)) return strText(a) === strText(b);
  if (Array.isArray(a) && Array.isArray(b)) return seqEq(a, b, depth);
  if (a instanceof PyTuple && b instanceof PyTuple) return seqEq(a.items, b.items, depth);
  if (a instanceof PyDict && b instanceof PyDict) {
    if (a.size !== b.size) return false;
    for (const [k, x] of a.map) {
      const other = b.map.get(k);
      if (!other || !eqDepth(x.value, other.value, depth + 1)) return false;
    }
    return true;
  }
  if (a instanceof PyRange && b instanceof PyRange) {
    const n = a.length;
    if (n !== b.length) return false;
    if (n === 0) return true;
    if (a.start !== b.start) return false;
    return n === 1 || a.step === b.step;
  }
  if (a instanceof Undefined && b instanceof Undefined) return true;
  return false;
}

function seqEq(a: readonly PyValue[], b: readonly PyValue[], depth: number): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!eqDepth(a[i], b[i], depth + 1)) return false;
  return true;
}

export type CompareOp = '<' | '<=' | '>' | '>=';

/** Three-way Python ordering; throws Python's TypeError for unorderable pairs. */
export function order(a: PyValue, b: PyValue, op: CompareOp = '<', span?: Span, depth = 0): number {
  if (depth > 990) throw new JinjaError('RuntimeError', 'maximum recursion depth exceeded in comparison', span);
  if (a instanceof Undefined) throw undefinedError(a, span);
  if (b instanceof Undefined) throw undefinedError(b, span);
  if ((a instanceof PyBigInt || b instanceof PyBigInt) && !Number.isNaN(bigOrder(a, b))) return bigOrder(a, b);
  if (isNumber(a) && isNumber(b)) {
    const x = numValue(a);
    const y = numValue(b);
    return x < y ? -1 : x > y ? 1 : x === y ? 0 : NaN;
  }
  if (isStr(a) && isStr(b)) return compareStrings(strText(a), strText(b));
  const seqA = Array.isArray(a) ? a : a instanceof PyTuple && b instanceof PyTuple ? a.items : undefined;
  const seqB = Array.isArray(b) && Array.isArray(a) ? b : b instanceof PyTuple && a instanceof PyTuple ? b.items : undefined;
  if (seqA && seqB) {
    for (let i = 0; i < Math.min(seqA.length, seqB.length); i++) {
      if (!eq(seqA[i], seqB[i])) return order(seqA[i], seqB[i], op, span, depth + 1);
    }
    return seqA.length - seqB.length < 0 ? -1 : seqA.length > seqB.length ? 1 : 0;
  }
  throw typeError(`'${op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`, span);
}

export function compare(op: CompareOp, a: PyValue, b: PyValue, span?: Span): boolean {
  const c = order(a, b, op, span);
  if (Number.isNaN(c)) return false;
  switch (op) {
    case '<':
      return c < 0;
    case '<=':
      return c <= 0;
    case '>':
      return c > 0;
    case '>=':
      return c >= 0;
  }
}

// ---------------------------------------------------------------- dict keys

/** Normalised dict key; TypeError "unhashable type: 'list'" like Python. */
export function dictKey(v: PyValue, span?: Span): DictKey | string {
  if (Array.isArray(v) || v instanceof PyDict || v instanceof Undefined || v instanceof Namespace) {
    throw typeError(`unhashable type: '${typeName(v)}'`, span);
  }
  if (v instanceof PyTuple) for (const x of v.items) dictKey(x, span);
  if (v instanceof PyCallable || v instanceof PyObject || v instanceof PyRange) {
    throw typeError(`unhashable type: '${typeName(v)}'`, span);
  }
  return PyDict.keyOf(v);
}

export function isHashable(v: PyValue): boolean {
  try {
    dictKey(v);
    return true;
  } catch {
    return false;
  }
}

// ---------------------------------------------------------------- arithmetic

export type BinOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';

const unsupported = (op: string, a: PyValue, b: PyValue, span?: Span): JinjaError =>
  typeError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`, span);

const numResult = (a: PyValue, b: PyValue, n: number): PyValue => (isIntLike(a) && isIntLike(b) ? intResult(n) : float(n));

function intResult(n: number): number {
  if (!Number.isFinite(n))
    throw new JinjaError('OverflowError', 'integer result too large for the preview (Python integers are unbounded here only up to 1e308)');
  return n === 0 ? 0 : n;
}

export function binop(ctx: CallContext, op: BinOp, a: PyValue, b: PyValue): PyValue {
  if (op === '%' && isStr(a)) return percentFormat(ctx, a, b);
  if (a instanceof Undefined) throw undefinedError(a, ctx.span);
  if (b instanceof Undefined) throw undefinedError(b, ctx.span);
  if (a instanceof PyBigInt || b instanceof PyBigInt) return bigBinop(ctx, op, a, b);
  const span = ctx.span;
  switch (op) {
    case '+':
      return add(ctx, a, b);
    case '*':
      return mul(ctx, a, b);
    case '-':
      if (isNumber(a) && isNumber(b)) return numResult(a, b, numValue(a) - numValue(b));
      throw unsupported('-', a, b, span);
    case '/': {
      if (!isNumber(a) || !isNumber(b)) throw unsupported('/', a, b, span);
      const y = numValue(b);
      if (y === 0) throw new JinjaError('ZeroDivisionError', isIntLike(a) && isIntLike(b) ? 'division by zero' : 'float division by zero', span);
      return float(numValue(a) / y);
    }
    case '//': {
      if (!isNumber(a) || !isNumber(b)) throw unsupported('//', a, b, span);
      const x = numValue(a);
      const y = numValue(b);
      if (isIntLike(a) && isIntLike(b)) {
        if (y === 0) throw new JinjaError('ZeroDivisionError', 'integer division or modulo by zero', span);
        return intResult(Math.floor(x / y));
      }
      if (y === 0) throw new JinjaError('ZeroDivisionError', 'float floor division by zero', span);
      return float(floatDivmod(x, y)[0]);
    }
    case '%': {
      if (!isNumber(a) || !isNumber(b)) throw unsupported('%', a, b, span);
      const x = numValue(a);
      const y = numValue(b);
      if (isIntLike(a) && isIntLike(b)) {
        if (y === 0) throw new JinjaError('ZeroDivisionError', 'integer modulo by zero', span);
        let r = x % y;
        if (r !== 0 && r < 0 !== y < 0) r += y;
        return r === 0 ? 0 : r;
      }
      if (y === 0) throw new JinjaError('ZeroDivisionError', 'float modulo', span);
      return float(floatDivmod(x, y)[1]);
    }
    case '**':
      return power(a, b, span);
  }
}

/** CPython's float_divmod (floor division and modulo that agree with each other). */
export function floatDivmod(vx: number, wx: number): [number, number] {
  let mod = vx % wx;
  let div = (vx - mod) / wx;
  if (mod) {
    if (wx < 0 !== mod < 0) {
      mod += wx;
      div -= 1;
    }
  } else mod = wx < 0 ? -0 : 0;
  let floordiv: number;
  if (div) {
    floordiv = Math.floor(div);
    if (div - floordiv > 0.5) floordiv += 1;
  } else floordiv = vx / wx < 0 || Object.is(vx / wx, -0) ? -0 : 0;
  return [floordiv, mod];
}

function power(a: PyValue, b: PyValue, span?: Span): PyValue {
  if (!isNumber(a) || !isNumber(b)) throw unsupported('** or pow()', a, b, span);
  const x = numValue(a);
  const y = numValue(b);
  if (x === 0 && y < 0) throw new JinjaError('ZeroDivisionError', '0.0 cannot be raised to a negative power', span);
  if (isIntLike(a) && isIntLike(b) && y >= 0) {
    const r = Math.pow(x, y);
    if (Math.abs(r) < 2 ** 53) return r === 0 ? 0 : r;
    if (y * Math.log2(Math.abs(x)) > 1100)
      throw new JinjaError('OverflowError', 'integer result too large for the preview (Python integers are unbounded here only up to 1e308)', span);
    return intResult(Number(BigInt(x) ** BigInt(y)));
  }
  if (x < 0 && !Number.isInteger(y)) throw typeError('complex numbers (a negative number to a fractional power) are not supported', span);
  const r = Number.isInteger(y) ? powInt(x, y) : Number.isInteger(y * 2) && x > 0 ? powHalf(x, y * 2) : Math.pow(x, y);
  if (!Number.isFinite(r) && Number.isFinite(x) && Number.isFinite(y)) throw new JinjaError('OverflowError', "(34, 'Numerical result out of range')", span);
  return float(r);
}

function add(ctx: CallContext, a: PyValue, b: PyValue): PyValue {
  const span = ctx.span;
  if (isNumber(a) && isNumber(b)) return numResult(a, b, numValue(a) + numValue(b));
  if (a instanceof Markup && isStr(b)) return joinChecked(ctx, a.text, escape(b).text, true);
  if (b instanceof Markup && typeof a === 'string') return joinChecked(ctx, escapeText(a), b.text, true);
  if (typeof a === 'string') {
    if (typeof b === 'string') return joinChecked(ctx, a, b, false);
    throw typeError(`can only concatenate str (not "${typeName(b)}") to str`, span);
  }
  if (Array.isArray(a)) {
    if (!Array.isArray(b)) throw typeError(`can only concatenate list (not "${typeName(b)}") to list`, span);
    ctx.budget.checkListSize(a.length + b.length);
    return [...a, ...b];
  }
  if (a instanceof PyTuple) {
    if (!(b instanceof PyTuple)) throw typeError(`can only concatenate tuple (not "${typeName(b)}") to tuple`, span);
    ctx.budget.checkListSize(a.items.length + b.items.length);
    return new PyTuple([...a.items, ...b.items]);
  }
  throw unsupported('+', a, b, span);
}

function joinChecked(ctx: CallContext, x: string, y: string, markup: boolean): PyValue {
  ctx.budget.checkStringSize(x.length + y.length);
  ctx.budget.chargeText(x.length + y.length);
  return markup ? new Markup(x + y) : x + y;
}

function mul(ctx: CallContext, a: PyValue, b: PyValue): PyValue {
  if (isNumber(a) && isNumber(b)) return numResult(a, b, numValue(a) * numValue(b));
  const isSeq = (v: PyValue): boolean => isStr(v) || Array.isArray(v) || v instanceof PyTuple;
  let seq: PyValue;
  let n: PyValue;
  if (isSeq(a)) [seq, n] = [a, b];
  else if (isSeq(b)) [seq, n] = [b, a];
  else throw unsupported('*', a, b, ctx.span);
  if (!isIntLike(n)) throw typeError(`can't multiply sequence by non-int of type '${typeName(n)}'`, ctx.span);
  const times = Math.max(0, Number(n));
  if (isStr(seq)) {
    const text = strText(seq);
    ctx.budget.checkStringSize(text.length * times);
    ctx.budget.chargeText(text.length * times);
    const out = text.repeat(times);
    return seq instanceof Markup ? new Markup(out) : out;
  }
  const itemsOf = Array.isArray(seq) ? seq : (seq as PyTuple).items;
  ctx.budget.checkListSize(itemsOf.length * times);
  const out: PyValue[] = [];
  for (let i = 0; i < times; i++) out.push(...itemsOf);
  return Array.isArray(seq) ? out : new PyTuple(out);
}

// ---------------------------------------------------------------- integers beyond 2^53

/** An exact integer view of an int-like value, or null (floats, strings, …). */
function asBigInt(v: PyValue): bigint | null {
  if (v instanceof PyBigInt) return v.value;
  if (typeof v === 'boolean') return v ? 1n : 0n;
  if (typeof v === 'number' && Number.isInteger(v)) return BigInt(v);
  return null;
}

/** Back to a JS number when that is exact, as every other int is. */
export function fromBigInt(n: bigint): number | PyBigInt {
  return n >= BigInt(Number.MIN_SAFE_INTEGER) && n <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(n) : new PyBigInt(n);
}

/** Ordering with a big int on either side; NaN when one side is not a number. */
function bigOrder(a: PyValue, b: PyValue): number {
  const x = asBigInt(a);
  const y = asBigInt(b);
  if (x !== null && y !== null) return x < y ? -1 : x > y ? 1 : 0;
  const fx = a instanceof PyBigInt ? Number(a.value) : isNumber(a) ? numValue(a) : NaN;
  const fy = b instanceof PyBigInt ? Number(b.value) : isNumber(b) ? numValue(b) : NaN;
  if (Number.isNaN(fx) || Number.isNaN(fy)) return NaN;
  return fx < fy ? -1 : fx > fy ? 1 : 0;
}

/** Integer arithmetic stays exact; with a float (or /) it is float arithmetic, as in Python. */
function bigBinop(ctx: CallContext, op: BinOp, a: PyValue, b: PyValue): PyValue {
  const x = asBigInt(a);
  const y = asBigInt(b);
  if (x !== null && y !== null && op !== '/') {
    switch (op) {
      case '+':
        return fromBigInt(x + y);
      case '-':
        return fromBigInt(x - y);
      case '*':
        return fromBigInt(x * y);
      case '//':
      case '%': {
        if (y === 0n) throw new JinjaError('ZeroDivisionError', 'integer division or modulo by zero', ctx.span);
        // Python floors; BigInt division truncates.
        let q = x / y;
        if (x % y !== 0n && x < 0n !== y < 0n) q -= 1n;
        return fromBigInt(op === '//' ? q : x - q * y);
      }
      case '**': {
        if (y < 0n) return float(Number(x) ** Number(y));
        if (y > 100_000n) throw new JinjaError('SecurityError', 'exponent too large', ctx.span);
        ctx.budget.checkStringSize(Math.ceil(Number(y) * x.toString().length));
        return fromBigInt(x ** y);
      }
    }
  }
  const num = (v: PyValue): PyValue => (v instanceof PyBigInt ? float(Number(v.value)) : v);
  return binop(ctx, op, num(a), num(b));
}

export function unary(op: '-' | '+', v: PyValue, span?: Span): PyValue {
  if (v instanceof Undefined) throw undefinedError(v, span);
  if (isIntLike(v)) return op === '-' ? (Number(v) === 0 ? 0 : -Number(v)) : Number(v);
  if (v instanceof PyBigInt) return op === '-' ? fromBigInt(-v.value) : v;
  if (v instanceof PyFloat) return op === '-' ? float(-v.value) : v;
  throw typeError(`bad operand type for unary ${op}: '${typeName(v)}'`, span);
}

/** Jinja's `~`: str_join, or markup_join when autoescape is on. */
export function concat(ctx: CallContext, parts: readonly PyValue[]): string | Markup {
  let size = 0;
  const texts: (string | Markup)[] = [];
  let anyMarkup = false;
  for (const p of parts) {
    const s = ctx.autoescape ? softStr(p) : str(p, ctx.budget);
    if (s instanceof Markup) anyMarkup = true;
    size += strText(s).length;
    ctx.budget.checkStringSize(size);
    texts.push(s);
  }
  if (!anyMarkup) return texts.map(t => strText(t)).join('');
  return new Markup(texts.map(t => (t instanceof Markup ? t.text : escapeText(t))).join(''));
}

// ---------------------------------------------------------------- containers

export function contains(container: PyValue, item: PyValue, span?: Span): boolean {
  if (isStr(container)) {
    if (!isStr(item)) throw typeError(`'in <string>' requires string as left operand, not ${typeName(item)}`, span);
    return strText(container).includes(strText(item));
  }
  if (Array.isArray(container)) return container.some(x => eq(x, item));
  if (container instanceof PyTuple) return container.items.some(x => eq(x, item));
  if (container instanceof PyDict) return container.map.has(dictKey(item, span));
  if (container instanceof PyRange) {
    if (!isNumber(item)) return false;
    const x = numValue(item);
    const { start, stop, step } = container;
    if (step > 0 ? x < start || x >= stop : x > start || x <= stop) return false;
    return Number.isInteger((x - start) / step);
  }
  if (container instanceof Undefined) return false;
  if (container instanceof PyObject && container.iterate) return container.iterate().some(x => eq(x, item));
  throw typeError(`argument of type '${typeName(container)}' is not iterable`, span);
}

/** The items a for-loop (or list()) sees; a snapshot, so mutation during a loop cannot grow it. */
export function iterate(v: PyValue, span?: Span): PyValue[] {
  if (Array.isArray(v)) return v.slice();
  if (v instanceof PyTuple) return v.items.slice();
  if (v instanceof PyDict) return v.keys();
  if (typeof v === 'string') return codePoints(v);
  if (v instanceof Markup) return codePoints(v.text);
  if (v instanceof PyRange) {
    const out: number[] = [];
    for (let i = 0; i < v.length; i++) out.push(v.at(i));
    return out;
  }
  if (v instanceof Undefined) return [];
  if (v instanceof PyObject && v.iterate) return v.iterate();
  throw typeError(`'${typeName(v)}' object is not iterable`, span);
}

export function isIterable(v: PyValue): boolean {
  return (
    isStr(v) ||
    Array.isArray(v) ||
    v instanceof PyTuple ||
    v instanceof PyDict ||
    v instanceof PyRange ||
    v instanceof Undefined ||
    (v instanceof PyObject && v.iterate !== undefined)
  );
}

export function length(v: PyValue, span?: Span): number {
  if (typeof v === 'string') return strLen(v);
  if (v instanceof Markup) return strLen(v.text);
  if (Array.isArray(v)) return v.length;
  if (v instanceof PyTuple) return v.items.length;
  if (v instanceof PyDict) return v.size;
  if (v instanceof PyRange) return v.length;
  if (v instanceof Undefined) return 0;
  // dict views and the loop object define __len__; generators do not.
  if (v instanceof PyObject && v.typeName === 'LoopContext') {
    const n = v.getAttr('length');
    if (typeof n === 'number') return n;
  }
  if (v instanceof PyObject && v.iterate && v.typeName.startsWith('dict_')) return v.iterate().length;
  throw typeError(`object of type '${typeName(v)}' has no len()`, span);
}

// ---------------------------------------------------------------- attribute and item lookup

/** Python getattr() on our values (allow-listed); undefined when there is no such attribute. */
export function pyGetattr(obj: PyValue, name: string): PyValue | undefined {
  if (obj instanceof Namespace) return obj.attrs.get(name);
  if (obj instanceof PyObject) return obj.getAttr(name);
  if (obj instanceof PyCallable) return obj.attrs?.get(name);
  return getMethod(obj, name);
}

/** Python obj[key]; undefined when the lookup raises (IndexError, KeyError, TypeError). */
export function pyGetitem(obj: PyValue, key: PyValue): PyValue | undefined {
  if (obj instanceof PyDict) {
    if (!isHashable(key)) return undefined;
    return obj.get(key);
  }
  if (!isIntLike(key)) return undefined;
  const i = Number(key);
  if (Array.isArray(obj)) return indexInto(obj, i);
  if (obj instanceof PyTuple) return indexInto(obj.items, i);
  if (typeof obj === 'string' || obj instanceof Markup) {
    const text = strText(obj);
    const cps = hasAstral(text) ? codePoints(text) : undefined;
    const n = cps ? cps.length : text.length;
    const j = i < 0 ? i + n : i;
    if (j < 0 || j >= n) return undefined;
    const ch = cps ? cps[j] : text[j];
    return obj instanceof Markup ? new Markup(ch) : ch;
  }
  if (obj instanceof PyRange) {
    const j = i < 0 ? i + obj.length : i;
    return j >= 0 && j < obj.length ? obj.at(j) : undefined;
  }
  return undefined;
}

function indexInto(xs: readonly PyValue[], i: number): PyValue | undefined {
  const j = i < 0 ? i + xs.length : i;
  return j >= 0 && j < xs.length ? xs[j] : undefined;
}

/** Jinja's Environment.getattr (`obj.name`): attribute first, then item. */
export function getattr(ctx: CallContext, obj: PyValue, name: string): PyValue {
  if (obj instanceof Undefined) throw undefinedError(obj, ctx.span);
  const a = pyGetattr(obj, name);
  if (a !== undefined) return a;
  const i = pyGetitem(obj, name);
  if (i !== undefined) return i;
  return undefinedLookup(obj, name, ctx.span);
}

/** Jinja's Environment.getitem (`obj[key]`): item first, then attribute when the key is a str. */
export function getitem(ctx: CallContext, obj: PyValue, key: PyValue): PyValue {
  if (obj instanceof Undefined) throw undefinedError(obj, ctx.span);
  const i = pyGetitem(obj, key);
  if (i !== undefined) return i;
  if (isStr(key)) {
    const a = pyGetattr(obj, strText(key));
    if (a !== undefined) return a;
  }
  return undefinedLookup(obj, key, ctx.span);
}

// ---------------------------------------------------------------- slices

type SliceBound = PyValue | undefined;

function sliceIndex(v: SliceBound, span?: Span): number | null {
  if (v === undefined || v === null) return null;
  if (isIntLike(v)) return Number(v);
  if (v instanceof Undefined) throw undefinedError(v, span);
  throw typeError('slice indices must be integers or None or have an __index__ method', span);
}

/** Python's slice.indices(len): clamped (start, stop, step). */
export function sliceBounds(len: number, start: SliceBound, stop: SliceBound, step: SliceBound, span?: Span): [number, number, number] {
  const st = sliceIndex(step, span) ?? 1;
  if (st === 0) throw new JinjaError('ValueError', 'slice step cannot be zero', span);
  const clamp = (v: number | null, dflt: number): number => {
    if (v === null) return dflt;
    if (v < 0) return Math.max(v + len, st < 0 ? -1 : 0);
    return Math.min(v, st < 0 ? len - 1 : len);
  };
  return [clamp(sliceIndex(start, span), st < 0 ? len - 1 : 0), clamp(sliceIndex(stop, span), st < 0 ? -1 : len), st];
}

/** The concrete positions a slice selects. */
export function sliceIndices(len: number, start: SliceBound, stop: SliceBound, step: SliceBound, span?: Span): number[] {
  const [lo, hi, st] = sliceBounds(len, start, stop, step, span);
  const out: number[] = [];
  if (st > 0) for (let i = lo; i < hi; i += st) out.push(i);
  else for (let i = lo; i > hi; i += st) out.push(i);
  return out;
}

/** obj[start:stop:step]; strings stay strings, tuples stay tuples, ranges stay ranges. */
export function slice(ctx: CallContext, obj: PyValue, start?: PyValue, stop?: PyValue, step?: PyValue): PyValue {
  if (obj instanceof Undefined) throw undefinedError(obj, ctx.span);
  // Jinja compiles slices to a plain Python subscript (not Environment.getitem), so errors raise.
  if (obj instanceof PyDict) throw typeError("unhashable type: 'slice'", ctx.span);
  for (const b of [start, stop, step]) sliceIndex(b, ctx.span);
  if (isStr(obj)) {
    const text = strText(obj);
    const cps = hasAstral(text) ? codePoints(text) : undefined;
    const idx = sliceIndices(cps ? cps.length : text.length, start, stop, step, ctx.span);
    let out: string;
    const st = sliceIndex(step, ctx.span) ?? 1;
    if (!cps && st === 1) out = idx.length ? text.slice(idx[0], idx[idx.length - 1] + 1) : '';
    else out = idx.map(i => (cps ? cps[i] : text[i])).join('');
    return obj instanceof Markup ? new Markup(out) : out;
  }
  if (Array.isArray(obj)) return sliceIndices(obj.length, start, stop, step, ctx.span).map(i => obj[i]);
  if (obj instanceof PyTuple) return new PyTuple(sliceIndices(obj.items.length, start, stop, step, ctx.span).map(i => obj.items[i]));
  if (obj instanceof PyRange) {
    const [lo, hi, st] = sliceBounds(obj.length, start, stop, step, ctx.span);
    return new PyRange(obj.at(lo), obj.at(hi), st * obj.step);
  }
  throw typeError(`'${typeName(obj)}' object is not subscriptable`, ctx.span);
}
