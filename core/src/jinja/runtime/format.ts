/**
 * Python string formatting: printf-style `%` (str and markupsafe.Markup) and str.format with
 * the format-spec mini-language. Every width and precision is checked against the budget
 * before any padding is built.
 */
import type { Span } from '../../text/span.js';
import { JinjaError } from './errors.js';
import { floatRepr, groupDigits, intText, toExpPy, toFixedPy, toGeneralPy } from './numfmt.js';
import {
  codePoints,
  escape,
  escapeText,
  isIntLike,
  isNumber,
  isStr,
  numValue,
  pyGetattr,
  pyGetitem,
  repr,
  str,
  strLen,
  strText,
  typeName,
  undefinedError,
} from './pyops.js';
import { type CallContext, Markup, PyDict, PyFloat, PyRange, PyTuple, type PyValue, Undefined } from './values.js';

const valueError = (msg: string, span?: Span): JinjaError => new JinjaError('ValueError', msg, span);
const typeErr = (msg: string, span?: Span): JinjaError => new JinjaError('TypeError', msg, span);

/** ascii(): repr with every non-ASCII code point escaped. */
export function asciiRepr(v: PyValue): string {
  let out = '';
  for (const ch of repr(v)) {
    const cp = ch.codePointAt(0)!;
    if (cp < 0x80) out += ch;
    else if (cp <= 0xff) out += '\\x' + cp.toString(16).padStart(2, '0');
    else if (cp <= 0xffff) out += '\\u' + cp.toString(16).padStart(4, '0');
    else out += '\\U' + cp.toString(16).padStart(8, '0');
  }
  return out;
}

// ================================================================ printf-style %

interface Spec {
  flags: string;
  width: number;
  prec: number | undefined;
  conv: string;
}

/** `fmt % arg`. With a Markup format the arguments are escaped, as markupsafe does. */
export function percentFormat(ctx: CallContext, fmtValue: string | Markup, arg: PyValue): string | Markup {
  const markup = fmtValue instanceof Markup;
  const fmt = strText(fmtValue);
  let args: readonly PyValue[];
  let single = false;
  let mapping: PyValue | undefined;
  if (arg instanceof PyTuple) args = arg.items;
  else {
    args = [arg];
    // CPython treats anything with __getitem__ (dict, list, range) as a possible mapping,
    // which also silences "not all arguments converted".
    if (arg instanceof PyDict || Array.isArray(arg) || arg instanceof PyRange) mapping = arg;
    single = !markup || mapping !== undefined;
  }
  let argIdx = 0;
  let singleUsed = false;
  const next = (): PyValue => {
    if (single) {
      if (singleUsed) throw typeErr('not enough arguments for format string', ctx.span);
      singleUsed = true;
      return arg;
    }
    if (argIdx >= args.length) throw typeErr('not enough arguments for format string', ctx.span);
    return args[argIdx++];
  };
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf('%', i);
    if (pct < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    i = pct + 1;
    if (i >= fmt.length) throw valueError('incomplete format', ctx.span);
    let value: PyValue | undefined;
    if (fmt[i] === '(') {
      let depth = 1;
      let j = i + 1;
      while (j < fmt.length && depth > 0) {
        if (fmt[j] === '(') depth++;
        else if (fmt[j] === ')') depth--;
        j++;
      }
      if (depth > 0) throw valueError('incomplete format key', ctx.span);
      const key = fmt.slice(i + 1, j - 1);
      if (mapping === undefined) throw typeErr('format requires a mapping', ctx.span);
      const got = mapping instanceof PyDict ? mapping.get(key) : undefined;
      if (got === undefined) {
        if (mapping instanceof PyDict) throw new JinjaError('KeyError', repr(key), ctx.span);
        throw typeErr(`${typeName(mapping)} indices must be integers or slices, not str`, ctx.span);
      }
      value = got;
      i = j;
    }
    let flags = '';
    while (i < fmt.length && '-+ #0'.includes(fmt[i])) flags += fmt[i++];
    let width = 0;
    if (fmt[i] === '*') {
      const w = next();
      if (!isIntLike(w)) throw typeErr('* wants int', ctx.span);
      width = Number(w);
      if (width < 0) {
        flags += '-';
        width = -width;
      }
      i++;
    } else {
      const s = i;
      while (i < fmt.length && fmt[i] >= '0' && fmt[i] <= '9') i++;
      if (i > s) width = Number(fmt.slice(s, i));
    }
    let prec: number | undefined;
    if (fmt[i] === '.') {
      i++;
      if (fmt[i] === '*') {
        const p = next();
        if (!isIntLike(p)) throw typeErr('* wants int', ctx.span);
        prec = Math.max(0, Number(p));
        i++;
      } else {
        const s = i;
        while (i < fmt.length && fmt[i] >= '0' && fmt[i] <= '9') i++;
        prec = i > s ? Number(fmt.slice(s, i)) : 0;
      }
    }
    while (i < fmt.length && 'hlL'.includes(fmt[i])) i++;
    if (i >= fmt.length) throw valueError('incomplete format', ctx.span);
    const conv = fmt[i++];
    if (conv === '%') {
      out += '%';
      continue;
    }
    ctx.budget.checkStringSize(Math.max(width, prec ?? 0));
    if (value === undefined) value = next();
    out += formatOne(ctx, { flags, width, prec, conv }, value, markup, pct);
    ctx.budget.checkStringSize(out.length);
  }
  const leftover = single ? !singleUsed && mapping === undefined : argIdx < args.length && mapping === undefined;
  if (leftover) throw typeErr('not all arguments converted during string formatting', ctx.span);
  return markup ? new Markup(out) : out;
}

function pad(body: string, sign: string, spec: Spec, numeric: boolean): string {
  const len = strLen(body) + sign.length;
  if (spec.width <= len) return sign + body;
  const fill = spec.width - len;
  if (spec.flags.includes('-')) return sign + body + ' '.repeat(fill);
  if (numeric && spec.flags.includes('0')) return sign + '0'.repeat(fill) + body;
  return ' '.repeat(fill) + sign + body;
}

function signOf(neg: boolean, flags: string): string {
  if (neg) return '-';
  if (flags.includes('+')) return '+';
  if (flags.includes(' ')) return ' ';
  return '';
}

function toInteger(v: PyValue, conv: string, span?: Span): number {
  if (isIntLike(v)) return Number(v);
  if (v instanceof PyFloat && 'diu'.includes(conv)) {
    if (Number.isNaN(v.value)) throw valueError('cannot convert float NaN to integer', span);
    if (!Number.isFinite(v.value)) throw new JinjaError('OverflowError', 'cannot convert float infinity to integer', span);
    return Math.trunc(v.value);
  }
  if ('diu'.includes(conv)) throw typeErr(`%${conv} format: a real number is required, not ${typeName(v)}`, span);
  throw typeErr(`%${conv} format: an integer is required, not ${typeName(v)}`, span);
}

function formatOne(ctx: CallContext, spec: Spec, v: PyValue, markup: boolean, at: number): string {
  const { conv, flags, prec } = spec;
  // Undefined defines __int__/__float__ to raise, so numeric conversions report it.
  if (v instanceof Undefined && 'diueEfFgG'.includes(conv)) throw undefinedError(v, ctx.span);
  switch (conv) {
    case 's':
    case 'r':
    case 'a': {
      let s = conv === 's' ? str(v, ctx.budget) : conv === 'r' ? repr(v, ctx.budget) : asciiRepr(v);
      if (markup && !(conv === 's' && v instanceof Markup)) s = escapeText(s);
      if (prec !== undefined) s = codePoints(s).slice(0, prec).join('');
      return pad(s, '', spec, false);
    }
    case 'd':
    case 'i':
    case 'u':
    case 'x':
    case 'X':
    case 'o': {
      const n = toInteger(v, conv, ctx.span);
      const a = Math.abs(n);
      let digits = conv === 'x' || conv === 'X' || conv === 'o' ? radixText(a, conv === 'o' ? 8 : 16) : intText(a);
      if (conv === 'X') digits = digits.toUpperCase();
      if (prec !== undefined && digits.length < prec) digits = digits.padStart(prec, '0');
      let prefix = '';
      if (flags.includes('#') && conv !== 'd' && conv !== 'i' && conv !== 'u') prefix = conv === 'o' ? '0o' : conv === 'x' ? '0x' : '0X';
      return pad(digits, signOf(n < 0, flags) + prefix, spec, true);
    }
    case 'e':
    case 'E':
    case 'f':
    case 'F':
    case 'g':
    case 'G': {
      if (!isNumber(v)) throw typeErr(`must be real number, not ${typeName(v)}`, ctx.span);
      const x = numValue(v);
      const p = prec ?? 6;
      const upper = conv === conv.toUpperCase();
      const neg = x < 0 || Object.is(x, -0);
      let body: string;
      if (!Number.isFinite(x)) body = Number.isNaN(x) ? 'nan' : 'inf';
      else if (conv === 'f' || conv === 'F') body = toFixedPy(x, p) + (flags.includes('#') && p === 0 ? '.' : '');
      else if (conv === 'e' || conv === 'E') body = toExpPy(x, p, false, flags.includes('#'));
      else body = toGeneralPy(x, p, false, flags.includes('#'));
      if (upper) body = body.toUpperCase();
      return pad(body, signOf(neg && !Number.isNaN(x), flags), spec, true);
    }
    case 'c': {
      let ch: string;
      if (isIntLike(v)) {
        const n = Number(v);
        if (n < 0 || n > 0x10ffff) throw new JinjaError('OverflowError', '%c arg not in range(0x110000)', ctx.span);
        ch = String.fromCodePoint(n);
      } else if (isStr(v) && strLen(strText(v)) === 1) ch = strText(v);
      else throw typeErr('%c requires int or char', ctx.span);
      return pad(markup && !(v instanceof Markup) ? escapeText(ch) : ch, '', spec, false);
    }
    default: {
      const cp = conv.codePointAt(0)!;
      throw valueError(`unsupported format character '${conv}' (0x${cp.toString(16)}) at index ${at + 1}`, ctx.span);
    }
  }
}

function radixText(n: number, radix: number): string {
  return n < 2 ** 53 ? n.toString(radix) : BigInt(n).toString(radix);
}

// ================================================================ format spec mini-language

interface FormatSpec {
  fill: string;
  fillGiven: boolean;
  align: string;
  sign: string;
  z: boolean;
  alt: boolean;
  zero: boolean;
  width: number;
  grouping: string;
  prec: number | undefined;
  type: string;
}

function parseSpec(spec: string, span?: Span): FormatSpec {
  const cps = codePoints(spec);
  let i = 0;
  const r: FormatSpec = {
    fill: ' ',
    fillGiven: false,
    align: '',
    sign: '',
    z: false,
    alt: false,
    zero: false,
    width: -1,
    grouping: '',
    prec: undefined,
    type: '',
  };
  const isAlign = (c: string | undefined): boolean => c === '<' || c === '>' || c === '^' || c === '=';
  if (cps.length >= 2 && isAlign(cps[1])) {
    r.fill = cps[0];
    r.fillGiven = true;
    r.align = cps[1];
    i = 2;
  } else if (isAlign(cps[0])) {
    r.align = cps[0];
    i = 1;
  }
  if (cps[i] === '+' || cps[i] === '-' || cps[i] === ' ') r.sign = cps[i++];
  if (cps[i] === 'z') {
    r.z = true;
    i++;
  }
  if (cps[i] === '#') {
    r.alt = true;
    i++;
  }
  if (cps[i] === '0') {
    r.zero = true;
    i++;
  }
  let s = i;
  while (i < cps.length && cps[i] >= '0' && cps[i] <= '9') i++;
  if (i > s) r.width = Number(cps.slice(s, i).join(''));
  if (cps[i] === ',' || cps[i] === '_') r.grouping = cps[i++];
  if (cps[i] === ',' || cps[i] === '_') throw valueError("Cannot specify both ',' and '_'.", span);
  if (cps[i] === '.') {
    i++;
    s = i;
    while (i < cps.length && cps[i] >= '0' && cps[i] <= '9') i++;
    if (i === s) throw valueError('Format specifier missing precision', span);
    r.prec = Number(cps.slice(s, i).join(''));
  }
  if (cps.length - i > 1) throw valueError('Invalid format specifier', span);
  if (i < cps.length) r.type = cps[i];
  return r;
}

function alignText(body: string, sign: string, f: FormatSpec, defaultAlign: string): string {
  const align = f.align || defaultAlign;
  const len = strLen(body) + sign.length;
  if (f.width <= len) return sign + body;
  const n = f.width - len;
  switch (align) {
    case '<':
      return sign + body + f.fill.repeat(n);
    case '^':
      return f.fill.repeat(Math.floor(n / 2)) + sign + body + f.fill.repeat(n - Math.floor(n / 2));
    case '=':
      return sign + f.fill.repeat(n) + body;
    default:
      return f.fill.repeat(n) + sign + body;
  }
}

/** Integer digits with grouping; zero-padded inside the grouping like CPython when '0' fills. */
function groupedDigits(digits: string, f: FormatSpec, every: number, room: number): string {
  const sep = f.grouping;
  if (!sep) return digits;
  if (f.align === '=' && f.fill === '0' && room > 0) {
    let d = digits;
    while (groupDigits(d, sep, every).length < room) d = '0' + d;
    return groupDigits(d, sep, every);
  }
  return groupDigits(digits, sep, every);
}

/** format(value, spec), as the builtin does for our value types. */
export function formatValue(ctx: CallContext, v: PyValue, spec: string): string {
  if (spec === '') return str(v, ctx.budget);
  const span = ctx.span;
  if (!(isNumber(v) || isStr(v))) {
    throw typeErr(`unsupported format string passed to ${typeName(v)}.__format__`, span);
  }
  const f = parseSpec(spec, span);
  ctx.budget.checkStringSize(Math.max(f.width, f.prec ?? 0));
  if (isStr(v)) {
    if (f.type !== '' && f.type !== 's') throw valueError(`Unknown format code '${f.type}' for object of type 'str'`, span);
    if (f.sign) throw valueError(f.sign === ' ' ? 'Space not allowed in string format specifier' : 'Sign not allowed in string format specifier', span);
    if (f.alt) throw valueError('Alternate form (#) not allowed in string format specifier', span);
    if (f.grouping) throw valueError(`Cannot specify '${f.grouping}' with 's'.`, span);
    if (f.align === '=') throw valueError("'=' alignment not allowed in string format specifier", span);
    if (f.zero && !f.fillGiven) f.fill = '0';
    let text = strText(v);
    if (f.prec !== undefined) text = codePoints(text).slice(0, f.prec).join('');
    return alignText(text, '', f, '<');
  }
  // '0' means fill '0' unless a fill was given, and '=' alignment unless one was given.
  if (f.zero && !f.fillGiven) f.fill = '0';
  if (f.zero && !f.align) f.align = '=';
  const isInt = isIntLike(v);
  const intTypes = 'bcdoxXn';
  if (isInt && (f.type === '' || intTypes.includes(f.type))) {
    if (f.prec !== undefined) throw valueError('Precision not allowed in integer format specifier', span);
    const n = Number(v);
    if (f.type === 'c') {
      if (f.sign) throw valueError("Sign not allowed with integer format specifier 'c'", span);
      if (n < 0 || n > 0x10ffff) throw new JinjaError('OverflowError', '%c arg not in range(0x110000)', span);
      return alignText(String.fromCodePoint(n), '', f, '<');
    }
    const radix = f.type === 'b' ? 2 : f.type === 'o' ? 8 : f.type === 'x' || f.type === 'X' ? 16 : 10;
    if (f.grouping === ',' && radix !== 10) throw valueError(`Cannot specify ',' with '${f.type}'.`, span);
    if (f.grouping && f.type === 'n') throw valueError(`Cannot specify '${f.grouping}' with 'n'.`, span);
    let digits = radixText(Math.abs(n), radix);
    if (f.type === 'X') digits = digits.toUpperCase();
    const prefix = f.alt && radix !== 10 ? `0${f.type === 'X' ? 'X' : f.type}` : '';
    const sign = (n < 0 ? '-' : f.sign === '+' ? '+' : f.sign === ' ' ? ' ' : '') + prefix;
    digits = groupedDigits(digits, f, radix === 10 ? 3 : 4, f.width - sign.length);
    return alignText(digits, sign, f, '>');
  }
  if (!isInt && f.type !== '' && intTypes.replace('n', '').includes(f.type)) {
    throw valueError(`Unknown format code '${f.type}' for object of type 'float'`, span);
  }
  if (f.type !== '' && !'eEfFgGn%'.includes(f.type)) {
    throw valueError(`Unknown format code '${f.type}' for object of type '${typeName(v)}'`, span);
  }
  let x = numValue(v as number | boolean | PyFloat);
  const upper = f.type === 'E' || f.type === 'F' || f.type === 'G';
  let body: string;
  let suffix = '';
  if (f.type === '%') {
    x *= 100;
    suffix = '%';
  }
  const negative = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  if (!Number.isFinite(a)) body = Number.isNaN(a) ? 'nan' : 'inf';
  else if (f.type === '') {
    if (f.prec === undefined) body = isInt ? floatRepr(a) : floatRepr(a);
    else body = toGeneralPy(a, f.prec, false, f.alt, true);
  } else if (f.type === 'f' || f.type === 'F' || f.type === '%') body = toFixedPy(a, f.prec ?? 6) + (f.alt && f.prec === 0 ? '.' : '');
  else if (f.type === 'e' || f.type === 'E') body = toExpPy(a, f.prec ?? 6, false, f.alt);
  else body = toGeneralPy(a, f.prec ?? 6, false, f.alt);
  if (upper) body = body.toUpperCase();
  let neg = negative && !Number.isNaN(x);
  if (f.z && neg && /^[0.]*(e|$)/i.test(body)) neg = false;
  const sign = neg ? '-' : f.sign === '+' ? '+' : f.sign === ' ' ? ' ' : '';
  if (f.grouping && Number.isFinite(a)) {
    const m = /^(\d+)(.*)$/.exec(body);
    if (m) body = groupedDigits(m[1], f, 3, f.width - sign.length - m[2].length - suffix.length) + m[2];
  }
  return alignText(body + suffix, sign, f, '>');
}

// ================================================================ str.format

/** str.format / Markup.format (escaping every replacement field for Markup). */
export function strFormat(ctx: CallContext, fmtValue: string | Markup, args: readonly PyValue[], kwargs: ReadonlyMap<string, PyValue>): string | Markup {
  const markup = fmtValue instanceof Markup;
  const state = { auto: 0, mode: '' as '' | 'auto' | 'manual' };
  const out = vformat(ctx, strText(fmtValue), args, kwargs, markup, state, 2);
  return markup ? new Markup(out) : out;
}

interface FormatState {
  auto: number;
  mode: '' | 'auto' | 'manual';
}

function vformat(
  ctx: CallContext,
  fmt: string,
  args: readonly PyValue[],
  kwargs: ReadonlyMap<string, PyValue>,
  markup: boolean,
  state: FormatState,
  depth: number,
): string {
  const span = ctx.span;
  if (depth <= 0) throw valueError('Max string recursion exceeded', span);
  let out = '';
  let i = 0;
  while (i < fmt.length) {
    const ch = fmt[i];
    if (ch === '}') {
      if (fmt[i + 1] === '}') {
        out += '}';
        i += 2;
        continue;
      }
      throw valueError("Single '}' encountered in format string", span);
    }
    if (ch !== '{') {
      out += ch;
      i++;
      continue;
    }
    if (fmt[i + 1] === '{') {
      out += '{';
      i += 2;
      continue;
    }
    // Find the end of the field, honouring nested braces (in the spec) and brackets.
    let j = i + 1;
    let level = 1;
    let bracket = false;
    while (j < fmt.length) {
      const c = fmt[j];
      if (c === '[' && !bracket) bracket = true;
      else if (c === ']' && bracket) bracket = false;
      else if (c === '{') level++;
      else if (c === '}') {
        level--;
        if (level === 0) break;
      }
      j++;
    }
    if (j >= fmt.length) {
      throw valueError(
        level > 1 || fmt.slice(i + 1).includes('{')
          ? "unmatched '{' in format spec"
          : i + 1 >= fmt.length
            ? "Single '{' encountered in format string"
            : "expected '}' before end of string",
        span,
      );
    }
    const field = fmt.slice(i + 1, j);
    i = j + 1;
    out += formatField(ctx, field, args, kwargs, markup, state, depth);
    ctx.budget.checkStringSize(out.length);
  }
  return out;
}

function formatField(
  ctx: CallContext,
  field: string,
  args: readonly PyValue[],
  kwargs: ReadonlyMap<string, PyValue>,
  markup: boolean,
  state: FormatState,
  depth: number,
): string {
  const span = ctx.span;
  // Split name / conversion / spec at the first ':' or '!' outside brackets.
  let k = 0;
  let bracket = false;
  while (k < field.length) {
    const c = field[k];
    if (c === '[') bracket = true;
    else if (c === ']') bracket = false;
    else if (!bracket && (c === ':' || c === '!')) break;
    k++;
  }
  const name = field.slice(0, k);
  let conversion = '';
  let spec = '';
  if (field[k] === '!') {
    // CPython reads the closing brace as the conversion character, then misses the brace.
    if (k + 1 >= field.length) throw valueError("unmatched '{' in format spec", span);
    conversion = field[k + 1];
    if (k + 2 < field.length && field[k + 2] !== ':') throw valueError("expected ':' after conversion specifier", span);
    spec = field.slice(k + 3);
  } else if (field[k] === ':') spec = field.slice(k + 1);
  let value = resolveField(name, args, kwargs, state, span);
  if (conversion === 'r') value = repr(value, ctx.budget);
  else if (conversion === 's') value = str(value, ctx.budget);
  else if (conversion === 'a') value = asciiRepr(value);
  else if (conversion) throw valueError(`Unknown conversion specifier ${conversion}`, span);
  if (spec.includes('{')) spec = vformat(ctx, spec, args, kwargs, false, state, depth - 1);
  if (markup) {
    if (value instanceof Markup) {
      if (spec) throw valueError(`Unsupported format specification for Markup.`, span);
      return value.text;
    }
    return escape(formatValue(ctx, value, spec)).text;
  }
  return formatValue(ctx, value, spec);
}

function resolveField(name: string, args: readonly PyValue[], kwargs: ReadonlyMap<string, PyValue>, state: FormatState, span?: Span): PyValue {
  let p = 0;
  while (p < name.length && name[p] !== '.' && name[p] !== '[') p++;
  const first = name.slice(0, p);
  let value: PyValue;
  if (first === '') {
    if (state.mode === 'manual') throw valueError('cannot switch from manual field specification to automatic field numbering', span);
    state.mode = 'auto';
    const idx = state.auto++;
    if (idx >= args.length) throw new JinjaError('IndexError', `Replacement index ${idx} out of range for positional args tuple`, span);
    value = args[idx];
  } else if (/^\d+$/.test(first)) {
    if (state.mode === 'auto') throw valueError('cannot switch from automatic field numbering to manual field specification', span);
    state.mode = 'manual';
    const idx = Number(first);
    if (idx >= args.length) throw new JinjaError('IndexError', `Replacement index ${idx} out of range for positional args tuple`, span);
    value = args[idx];
  } else {
    const got = kwargs.get(first);
    if (got === undefined) throw new JinjaError('KeyError', repr(first), span);
    value = got;
  }
  while (p < name.length) {
    if (name[p] === '.') {
      let q = p + 1;
      while (q < name.length && name[q] !== '.' && name[q] !== '[') q++;
      const attr = name.slice(p + 1, q);
      if (!attr) throw valueError('Empty attribute in format string', span);
      if (value instanceof Undefined) throw undefinedError(value, span);
      const got = pyGetattr(value, attr);
      if (got === undefined) throw new JinjaError('AttributeError', `'${typeName(value)}' object has no attribute ${repr(attr)}`, span);
      value = got;
      p = q;
    } else if (name[p] === '[') {
      const close = name.indexOf(']', p);
      if (close < 0) throw valueError("Missing ']' in format string", span);
      const keyText = name.slice(p + 1, close);
      if (!keyText) throw valueError('Empty attribute in format string', span);
      const key: PyValue = /^\d+$/.test(keyText) ? Number(keyText) : keyText;
      if (value instanceof Undefined) throw undefinedError(value, span);
      const got = pyGetitem(value, key);
      if (got === undefined) {
        if (value instanceof PyDict) throw new JinjaError('KeyError', repr(key), span);
        if (typeof key === 'number' && (Array.isArray(value) || value instanceof PyTuple))
          throw new JinjaError('IndexError', `${typeName(value)} index out of range`, span);
        throw typeErr(`${typeName(value)} indices must be integers or slices, not ${typeName(key)}`, span);
      }
      value = got;
      p = close + 1;
      if (p < name.length && name[p] !== '.' && name[p] !== '[') throw valueError("Only '.' or '[' may follow ']' in format field specifier", span);
    } else break;
  }
  return value;
}
