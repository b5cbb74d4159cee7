/**
 * The allow-listed bound methods a template may reach with `obj.name` / `obj.name(...)`:
 * Python's str, markupsafe.Markup, list, tuple and dict methods. Every method is a
 * PyCallable built here from a fixed table; nothing is looked up on a JS prototype.
 */
import { bindArgs, type Param, opt, posopt, posreq, type Signature } from './args.js';
import { JinjaError } from './errors.js';
import { strFormat } from './format.js';
import {
  codePoints,
  dictKey,
  eq,
  escape,
  hasAstral,
  isIntLike,
  isStr,
  iterate,
  order,
  repr,
  strLen,
  strText,
  truthy,
  typeName,
  undefinedError,
} from './pyops.js';
import { type CallArgs, type CallContext, Markup, PyCallable, PyDict, PyObject, PyTuple, type PyValue, Undefined } from './values.js';

type Impl = (self: PyValue, a: Map<string, PyValue>, ctx: CallContext, call: CallArgs, rest: PyValue[], extra: Map<string, PyValue>) => PyValue;

interface MethodDef {
  sig: Signature;
  impl: Impl;
}

const typeErr = (msg: string, ctx: CallContext): JinjaError => new JinjaError('TypeError', msg, ctx.span);
const valueErr = (msg: string, ctx: CallContext): JinjaError => new JinjaError('ValueError', msg, ctx.span);

type Style = NonNullable<Signature['style']>;
/** CPython's calling convention of each method (it decides the TypeError wording). */
const STYLES: ReadonlyMap<string, Style> = new Map(
  Object.entries({
    O: 'str.join str.partition str.rpartition str.removeprefix str.removesuffix str.zfill list.append list.extend list.remove list.count tuple.count',
    pos: 'str.center str.ljust str.rjust str.replace str.strip str.lstrip str.rstrip list.insert list.pop list.index tuple.index dict.get dict.pop dict.setdefault dict.update',
    oldargs: 'str.count str.endswith str.startswith str.find str.rfind str.index str.rindex',
    kw: 'str.split str.rsplit str.splitlines list.sort',
    function: 'str.format',
  }).flatMap(([style, names]) => names.split(' ').map(n => [n, style as Style] as const)),
);

const TABLE_TYPE = new Map<Map<string, MethodDef>, string>();

function def(table: Map<string, MethodDef>, name: string, params: Param[], impl: Impl, extra: Partial<Signature> = {}): void {
  const type = TABLE_TYPE.get(table) ?? 'str';
  const qualname = `${type}.${name}`;
  table.set(name, { sig: { name, params, style: STYLES.get(qualname) ?? 'noargs', qualname, ...extra }, impl });
}

function bindMethod(self: PyValue, name: string, m: MethodDef): PyCallable {
  return new PyCallable('builtin_function_or_method', name, (call, ctx) => {
    const b = bindArgs(m.sig, call, ctx.span);
    return m.impl(self, b.values, ctx, call, b.rest, b.extra);
  });
}

// ---------------------------------------------------------------- Python whitespace and helpers

/** Characters str.split()/strip()/isspace() treat as whitespace (differs from JS \s). */
const PY_WS = new Set([
  '\t',
  '\n',
  '\x0b',
  '\x0c',
  '\r',
  '\x1c',
  '\x1d',
  '\x1e',
  '\x1f',
  ' ',
  '\x85',
  '\xa0',
  '\u1680',
  '\u2000',
  '\u2001',
  '\u2002',
  '\u2003',
  '\u2004',
  '\u2005',
  '\u2006',
  '\u2007',
  '\u2008',
  '\u2009',
  '\u200a',
  '\u2028',
  '\u2029',
  '\u202f',
  '\u205f',
  '\u3000',
]);
export const isPySpace = (ch: string): boolean => PY_WS.has(ch);

const LINE_BREAKS = new Set(['\n', '\r', '\x0b', '\x0c', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029']);

/** Python str.split() with no separator. */
export function splitWhitespace(s: string, maxsplit = -1): string[] {
  const out: string[] = [];
  const cps = codePoints(s);
  let i = 0;
  const n = cps.length;
  while (i < n) {
    while (i < n && PY_WS.has(cps[i])) i++;
    if (i >= n) break;
    if (maxsplit >= 0 && out.length >= maxsplit) {
      // The remainder keeps its trailing whitespace, as CPython's split does.
      out.push(cps.slice(i).join(''));
      return out;
    }
    const start = i;
    while (i < n && !PY_WS.has(cps[i])) i++;
    out.push(cps.slice(start, i).join(''));
  }
  return out;
}

function rsplitWhitespace(s: string, maxsplit: number): string[] {
  const out: string[] = [];
  const cps = codePoints(s);
  let i = cps.length;
  while (i > 0) {
    while (i > 0 && PY_WS.has(cps[i - 1])) i--;
    if (i <= 0) break;
    if (maxsplit >= 0 && out.length >= maxsplit) {
      out.push(cps.slice(0, i).join(''));
      break;
    }
    const end = i;
    while (i > 0 && !PY_WS.has(cps[i - 1])) i--;
    out.push(cps.slice(i, end).join(''));
  }
  return out.reverse();
}

export function splitSep(s: string, sep: string, maxsplit = -1): string[] {
  const out: string[] = [];
  let i = 0;
  while (maxsplit < 0 || out.length < maxsplit) {
    const j = s.indexOf(sep, i);
    if (j < 0) break;
    out.push(s.slice(i, j));
    i = j + sep.length;
  }
  out.push(s.slice(i));
  return out;
}

function rsplitSep(s: string, sep: string, maxsplit: number): string[] {
  const out: string[] = [];
  let end = s.length;
  while (maxsplit < 0 || out.length < maxsplit) {
    const j = end - sep.length < 0 ? -1 : s.lastIndexOf(sep, end - sep.length);
    if (j < 0) break;
    out.push(s.slice(j + sep.length, end));
    end = j;
  }
  out.push(s.slice(0, end));
  return out.reverse();
}

export function pyStrip(s: string, chars: string | null, left: boolean, right: boolean): string {
  const cps = codePoints(s);
  const set = chars === null ? PY_WS : new Set(codePoints(chars));
  let a = 0;
  let b = cps.length;
  if (left) while (a < b && set.has(cps[a])) a++;
  if (right) while (b > a && set.has(cps[b - 1])) b--;
  return cps.slice(a, b).join('');
}

// CPython's case predicates use the derived Cased/Lowercase/Uppercase properties (so 'ª' is
// lowercase and 'Ⅰ' uppercase), not just the Ll/Lu categories.
const CASED = /\p{Cased}/u;
const UPPERISH = /[\p{Uppercase}\p{Lt}]/u;
const LOWER = /\p{Lowercase}/u;

/** Unicode titlecase where it differs from uppercase (digraphs, ß, ligatures). */
const TITLECASE: ReadonlyMap<string, string> = new Map([
  ['ß', 'Ss'],
  ['Ǆ', 'ǅ'],
  ['ǅ', 'ǅ'],
  ['ǆ', 'ǅ'],
  ['Ǉ', 'ǈ'],
  ['ǈ', 'ǈ'],
  ['ǉ', 'ǈ'],
  ['Ǌ', 'ǋ'],
  ['ǋ', 'ǋ'],
  ['ǌ', 'ǋ'],
  ['Ǳ', 'ǲ'],
  ['ǲ', 'ǲ'],
  ['ǳ', 'ǲ'],
  ['ﬀ', 'Ff'],
  ['ﬁ', 'Fi'],
  ['ﬂ', 'Fl'],
  ['ﬃ', 'Ffi'],
  ['ﬄ', 'Ffl'],
  ['ﬅ', 'St'],
  ['ﬆ', 'St'],
  ['և', 'Եւ'],
  ['ŉ', 'ʼN'],
]);
export const toTitleChar = (ch: string): string => TITLECASE.get(ch) ?? ch.toUpperCase();

export function pyTitle(s: string): string {
  let out = '';
  let prevCased = false;
  for (const ch of s) {
    out += prevCased ? ch.toLowerCase() : toTitleChar(ch);
    prevCased = CASED.test(ch);
  }
  return out;
}

export function pyCapitalize(s: string): string {
  const cps = codePoints(s);
  if (!cps.length) return s;
  return toTitleChar(cps[0]) + cps.slice(1).join('').toLowerCase();
}

function swapcase(s: string): string {
  let out = '';
  for (const ch of s) out += /\p{Uppercase}/u.test(ch) ? ch.toLowerCase() : LOWER.test(ch) ? ch.toUpperCase() : ch;
  return out;
}

function istitle(s: string): boolean {
  let cased = false;
  let prevCased = false;
  for (const ch of s) {
    if (UPPERISH.test(ch)) {
      if (prevCased) return false;
      prevCased = true;
      cased = true;
    } else if (LOWER.test(ch)) {
      if (!prevCased) return false;
      prevCased = true;
      cased = true;
    } else prevCased = false;
  }
  return cased;
}

/** Numeric_Type=Digit (isdigit but not isdecimal), from CPython's Unicode 14 tables. */
const DIGITISH =
  /^[\p{Nd}\u{b2}-\u{b3}\u{b9}\u{1369}-\u{1371}\u{19da}\u{2070}\u{2074}-\u{2079}\u{2080}-\u{2089}\u{2460}-\u{2468}\u{2474}-\u{247c}\u{2488}-\u{2490}\u{24ea}\u{24f5}-\u{24fd}\u{24ff}\u{2776}-\u{277e}\u{2780}-\u{2788}\u{278a}-\u{2792}\u{10a40}-\u{10a43}\u{10e60}-\u{10e68}\u{11052}-\u{1105a}\u{1f100}-\u{1f10a}]+$/u;
const PREDICATES: ReadonlyMap<string, (s: string) => boolean> = new Map([
  ['isalnum', (s: string) => /^[\p{L}\p{N}]+$/u.test(s)],
  ['isalpha', (s: string) => /^\p{L}+$/u.test(s)],
  ['isascii', (s: string) => /^[\x00-\x7f]*$/.test(s)],
  ['isdecimal', (s: string) => /^\p{Nd}+$/u.test(s)],
  ['isdigit', (s: string) => DIGITISH.test(s)],
  ['isnumeric', (s: string) => /^\p{N}+$/u.test(s)],
  ['isidentifier', (s: string) => /^[\p{XID_Start}_][\p{XID_Continue}]*$/u.test(s)],
  ['islower', (s: string) => LOWER.test(s) && !UPPERISH.test(s)],
  ['isupper', (s: string) => /\p{Uppercase}/u.test(s) && !/[\p{Lowercase}\p{Lt}]/u.test(s)],
  ['isspace', (s: string) => s.length > 0 && codePoints(s).every(c => PY_WS.has(c))],
  ['istitle', istitle],
  ['isprintable', (s: string) => codePoints(s).every(c => c === ' ' || !/[\p{C}\p{Z}]/u.test(c))],
]);

// ---------------------------------------------------------------- argument coercion

/** `what` is the message prefix CPython uses ('' for a bare "must be str, not int"). */
function strArg(v: PyValue, ctx: CallContext, what: string): string {
  if (isStr(v)) return strText(v);
  if (what === 'or None') throw typeErr(`must be str or None, not ${typeName(v)}`, ctx);
  if (what.endsWith(' arg')) throw typeErr(`${what} must be None or str`, ctx);
  throw typeErr(`${what ? what + ' ' : ''}must be str, not ${typeName(v)}`, ctx);
}

function optStrArg(v: PyValue | undefined, ctx: CallContext, what: string): string | null {
  if (v === undefined || v === null) return null;
  return strArg(v, ctx, what);
}

function intArg(v: PyValue | undefined, ctx: CallContext, dflt: number): number {
  if (v === undefined || v === null) return dflt;
  if (isIntLike(v)) return Number(v);
  throw typeErr(`'${typeName(v)}' object cannot be interpreted as an integer`, ctx);
}

/** Python's slice-style start/end arguments of find/count/startswith, in code points. */
/**
 * CPython's ADJUST_INDICES: the end is clamped, the start only made non-negative; a start past
 * the end (or past the string) matches nothing, not even ''.
 */
function window(s: string, start: PyValue | undefined, end: PyValue | undefined, ctx: CallContext): { text: string; offset: number; invalid: boolean } {
  const cps = hasAstral(s) ? codePoints(s) : undefined;
  const n = cps ? cps.length : s.length;
  const norm = (v: PyValue | undefined, dflt: number, clampEnd: boolean): number => {
    if (v === undefined || v === null) return dflt;
    if (!isIntLike(v)) throw typeErr('slice indices must be integers or None or have an __index__ method', ctx);
    let x = Number(v);
    if (x < 0) x = Math.max(0, x + n);
    return clampEnd ? Math.min(x, n) : x;
  };
  const a = norm(start, 0, false);
  const b = norm(end, n, true);
  const invalid = a > n || a > b;
  const text = invalid ? '' : cps ? cps.slice(a, b).join('') : s.slice(a, b);
  return { text, offset: a, invalid };
}

/** UTF-16 index in `text` -> code point index. */
const cpIndex = (text: string, i: number): number => (hasAstral(text) ? Array.from(text.slice(0, i)).length : i);

function fillArg(v: PyValue | undefined, ctx: CallContext, name: string): string {
  if (v === undefined) return ' ';
  if (!isStr(v)) throw typeErr(`${name}() argument 2 must be str, not ${typeName(v)}`, ctx);
  const t = strText(v);
  if (strLen(t) !== 1) throw typeErr('The fill character must be exactly one character long', ctx);
  return t;
}

function justify(s: string, width: number, fill: string, how: 'l' | 'r' | 'c', ctx: CallContext): string {
  const n = strLen(s);
  if (width <= n) return s;
  ctx.budget.checkStringSize(width);
  const marg = width - n;
  if (how === 'l') return s + fill.repeat(marg);
  if (how === 'r') return fill.repeat(marg) + s;
  const left = Math.floor(marg / 2) + (marg & width & 1);
  return fill.repeat(left) + s + fill.repeat(marg - left);
}

function affixArg(v: PyValue, ctx: CallContext, name: string): string[] {
  if (isStr(v)) return [strText(v)];
  if (v instanceof PyTuple) {
    return v.items.map(x => {
      if (!isStr(x)) throw typeErr(`tuple for ${name} must only contain str, not ${typeName(x)}`, ctx);
      return strText(x);
    });
  }
  throw typeErr(`${name} first arg must be str or a tuple of str, not ${typeName(v)}`, ctx);
}

export function pyReplace(s: string, old: string, rep: string, count: number, ctx: CallContext): string {
  if (count === 0) return s;
  if (old === '') {
    const cps = codePoints(s);
    const slots = count < 0 ? cps.length + 1 : Math.min(count, cps.length + 1);
    ctx.budget.checkStringSize(s.length + slots * rep.length);
    let out = '';
    for (let i = 0; i < cps.length; i++) out += (i < slots ? rep : '') + cps[i];
    return out + (slots > cps.length ? rep : '');
  }
  const parts = splitSep(s, old, count);
  ctx.budget.checkStringSize(s.length + (parts.length - 1) * Math.max(0, rep.length - old.length));
  return parts.join(rep);
}

function countSub(s: string, sub: string): number {
  if (sub === '') return strLen(s) + 1;
  let n = 0;
  let i = 0;
  for (;;) {
    const j = s.indexOf(sub, i);
    if (j < 0) return n;
    n++;
    i = j + sub.length;
  }
}

function splitLines(s: string, keepends: boolean): string[] {
  const out: string[] = [];
  let line = '';
  const cps = codePoints(s);
  for (let i = 0; i < cps.length; i++) {
    const c = cps[i];
    if (LINE_BREAKS.has(c)) {
      let brk = c;
      if (c === '\r' && cps[i + 1] === '\n') {
        brk = '\r\n';
        i++;
      }
      out.push(keepends ? line + brk : line);
      line = '';
    } else line += c;
  }
  if (line) out.push(line);
  return out;
}

function zfill(s: string, width: number, ctx: CallContext): string {
  const n = strLen(s);
  if (width <= n) return s;
  ctx.budget.checkStringSize(width);
  const sign = s[0] === '+' || s[0] === '-' ? s[0] : '';
  return sign + '0'.repeat(width - n) + s.slice(sign.length);
}

function joinItems(ctx: CallContext, sep: string | Markup, seq: PyValue): string | Markup {
  const items = iterate(seq, ctx.span);
  ctx.budget.step(items.length);
  if (sep instanceof Markup) {
    const texts = items.map(x => escape(x).text);
    ctx.budget.checkStringSize(texts.reduce((a, t) => a + t.length, 0) + sep.text.length * items.length);
    return new Markup(texts.join(sep.text));
  }
  const texts = items.map((x, i) => {
    if (!isStr(x)) throw typeErr(`sequence item ${i}: expected str instance, ${typeName(x)} found`, ctx);
    return strText(x);
  });
  ctx.budget.checkStringSize(texts.reduce((a, t) => a + t.length, 0) + sep.length * items.length);
  return texts.join(sep);
}

// ---------------------------------------------------------------- str methods

const STR = new Map<string, MethodDef>();
const s = (self: PyValue): string => strText(self as string | Markup);

def(STR, 'capitalize', [], self => pyCapitalize(s(self)));
def(STR, 'casefold', [], self => s(self).toLowerCase().replace(/ß/g, 'ss'));
def(STR, 'lower', [], self => s(self).toLowerCase());
def(STR, 'upper', [], self => s(self).toUpperCase());
def(STR, 'swapcase', [], self => swapcase(s(self)));
def(STR, 'title', [], self => pyTitle(s(self)));
def(STR, 'center', [posreq('width'), posopt('fillchar', ' ')], (self, a, ctx, call) =>
  justify(s(self), intArg(a.get('width'), ctx, 0), fillArg(call.args[1], ctx, 'center'), 'c', ctx),
);
def(STR, 'ljust', [posreq('width'), posopt('fillchar', ' ')], (self, a, ctx, call) =>
  justify(s(self), intArg(a.get('width'), ctx, 0), fillArg(call.args[1], ctx, 'ljust'), 'l', ctx),
);
def(STR, 'rjust', [posreq('width'), posopt('fillchar', ' ')], (self, a, ctx, call) =>
  justify(s(self), intArg(a.get('width'), ctx, 0), fillArg(call.args[1], ctx, 'rjust'), 'r', ctx),
);
def(STR, 'zfill', [posreq('width')], (self, a, ctx) => zfill(s(self), intArg(a.get('width'), ctx, 0), ctx));
def(STR, 'count', [posreq('sub'), posopt('start', null), posopt('end', null)], (self, a, ctx) => {
  const w = window(s(self), a.get('start'), a.get('end'), ctx);
  const sub = strArg(a.get('sub')!, ctx, '');
  return w.invalid ? 0 : countSub(w.text, sub);
});
for (const [name, isStart] of [
  ['startswith', true],
  ['endswith', false],
] as const) {
  def(STR, name, [posreq('prefix'), posopt('start', null), posopt('end', null)], (self, a, ctx) => {
    const affixes = affixArg(a.get('prefix')!, ctx, name);
    const w = window(s(self), a.get('start'), a.get('end'), ctx);
    if (w.invalid) return false;
    return affixes.some(x => (isStart ? w.text.startsWith(x) : w.text.endsWith(x)));
  });
}
for (const name of ['find', 'rfind', 'index', 'rindex']) {
  def(STR, name, [posreq('sub'), posopt('start', null), posopt('end', null)], (self, a, ctx) => {
    const sub = strArg(a.get('sub')!, ctx, `${name}() argument 1`);
    const w = window(s(self), a.get('start'), a.get('end'), ctx);
    let found = -1;
    if (!w.invalid) {
      const j = name.startsWith('r') ? w.text.lastIndexOf(sub) : w.text.indexOf(sub);
      if (j >= 0) found = w.offset + cpIndex(w.text, j);
    }
    if (found < 0 && name.endsWith('index')) throw valueErr('substring not found', ctx);
    return found;
  });
}
def(STR, 'format', [], (self, _a, ctx, _call, rest, extra) => strFormat(ctx, self as string | Markup, rest, extra), { varargs: true, varkw: true });
for (const [name, pred] of PREDICATES) def(STR, name, [], self => pred(s(self)));
def(STR, 'join', [posreq('iterable')], (self, a, ctx) => joinItems(ctx, self as string | Markup, a.get('iterable')!));
def(STR, 'strip', [posopt('chars', null)], (self, a, ctx) => pyStrip(s(self), optStrArg(a.get('chars'), ctx, 'strip arg'), true, true));
def(STR, 'lstrip', [posopt('chars', null)], (self, a, ctx) => pyStrip(s(self), optStrArg(a.get('chars'), ctx, 'lstrip arg'), true, false));
def(STR, 'rstrip', [posopt('chars', null)], (self, a, ctx) => pyStrip(s(self), optStrArg(a.get('chars'), ctx, 'rstrip arg'), false, true));
for (const name of ['partition', 'rpartition']) {
  def(STR, name, [posreq('sep')], (self, a, ctx) => {
    const sep = strArg(a.get('sep')!, ctx, `${name}() argument`);
    if (sep === '') throw valueErr('empty separator', ctx);
    const text = s(self);
    const j = name === 'partition' ? text.indexOf(sep) : text.lastIndexOf(sep);
    if (j < 0) return new PyTuple(name === 'partition' ? [text, '', ''] : ['', '', text]);
    return new PyTuple([text.slice(0, j), sep, text.slice(j + sep.length)]);
  });
}
def(STR, 'removeprefix', [posreq('prefix')], (self, a, ctx) => {
  const p = strArg(a.get('prefix')!, ctx, 'removeprefix() argument');
  const t = s(self);
  return p && t.startsWith(p) ? t.slice(p.length) : t;
});
def(STR, 'removesuffix', [posreq('suffix')], (self, a, ctx) => {
  const p = strArg(a.get('suffix')!, ctx, 'removesuffix() argument');
  const t = s(self);
  return p && t.endsWith(p) ? t.slice(0, t.length - p.length) : t;
});
def(STR, 'replace', [posreq('old'), posreq('new'), posopt('count', -1)], (self, a, ctx) =>
  pyReplace(
    s(self),
    strArg(a.get('old')!, ctx, 'replace() argument 1'),
    strArg(a.get('new')!, ctx, 'replace() argument 2'),
    intArg(a.get('count'), ctx, -1),
    ctx,
  ),
);
for (const name of ['split', 'rsplit']) {
  def(STR, name, [opt('sep', null), opt('maxsplit', -1)], (self, a, ctx) => {
    const sep = optStrArg(a.get('sep'), ctx, 'or None');
    const max = intArg(a.get('maxsplit'), ctx, -1);
    const text = s(self);
    if (sep === '') throw valueErr('empty separator', ctx);
    const parts =
      sep === null
        ? name === 'split'
          ? splitWhitespace(text, max)
          : rsplitWhitespace(text, max)
        : name === 'split'
          ? splitSep(text, sep, max)
          : rsplitSep(text, sep, max);
    ctx.budget.checkListSize(parts.length);
    return parts;
  });
}
def(STR, 'splitlines', [opt('keepends', false)], (self, a) => splitLines(s(self), truthy(a.get('keepends') ?? false)));

/** Markup methods that markupsafe wraps: escape str arguments, return Markup. */
const MARKUP_ESCAPING = new Set([
  'capitalize',
  'title',
  'lower',
  'upper',
  'replace',
  'ljust',
  'rjust',
  'lstrip',
  'rstrip',
  'center',
  'strip',
  'swapcase',
  'zfill',
]);
const MARKUP_LISTS = new Set(['split', 'rsplit', 'splitlines']);

const MARKUP_EXTRA = new Map<string, MethodDef>();
TABLE_TYPE.set(MARKUP_EXTRA, 'Markup');
def(MARKUP_EXTRA, 'striptags', [], self => striptags(s(self)));
def(MARKUP_EXTRA, 'unescape', [], self => htmlUnescape(s(self)));

function markupMethod(self: Markup, name: string, m: MethodDef): PyCallable {
  return new PyCallable('builtin_function_or_method', name, (call, ctx) => {
    if (name === 'partition' || name === 'rpartition') {
      const sep = call.args[0];
      const escaped: CallArgs = { args: sep === undefined ? [] : [isStr(sep) ? escape(sep) : sep, ...call.args.slice(1)], kwargs: call.kwargs };
      const r = bindMethod(self, name, m).call(escaped, ctx) as PyTuple;
      return new PyTuple(r.items.map(x => new Markup(strText(x as string))));
    }
    if (MARKUP_ESCAPING.has(name)) {
      const esc = (v: PyValue): PyValue => (isStr(v) ? escape(v) : v);
      const call2: CallArgs = { args: call.args.map(esc), kwargs: new Map([...call.kwargs].map(([k, v]) => [k, esc(v)])) };
      return new Markup(strText(bindMethod(self, name, m).call(call2, ctx) as string));
    }
    const r = bindMethod(self, name, m).call(call, ctx);
    if (MARKUP_LISTS.has(name)) return (r as string[]).map(x => new Markup(x));
    return r;
  });
}

// ---------------------------------------------------------------- HTML helpers (markupsafe)

/** markupsafe's striptags: drop comments and tags, collapse whitespace, unescape. */
export function striptags(text: string): string {
  let v = removeBetween(text, '<!--', '-->');
  v = removeBetween(v, '<', '>');
  return htmlUnescape(splitWhitespace(v).join(' '));
}

/** Non-greedy removal of open...close spans (what `<.*?>` with DOTALL does). */
function removeBetween(text: string, open: string, close: string): string {
  let out = '';
  let i = 0;
  for (;;) {
    const a = text.indexOf(open, i);
    if (a < 0) break;
    const b = text.indexOf(close, a + open.length);
    if (b < 0) break;
    out += text.slice(i, a);
    i = b + close.length;
  }
  return out + text.slice(i);
}

/**
 * html.unescape (what markupsafe's unescape/striptags call). Numeric references follow
 * Python exactly; named ones cover the 106 legacy names (Latin-1, also valid without ';')
 * plus common typography. Python knows all 2231 HTML5 names; others stay as written.
 */
const LEGACY_ENTITIES: ReadonlyMap<string, string> = new Map(
  'Aacute=c1 aacute=e1 Acirc=c2 acirc=e2 acute=b4 AElig=c6 aelig=e6 Agrave=c0 agrave=e0 AMP=26 amp=26 Aring=c5 aring=e5 Atilde=c3 atilde=e3 Auml=c4 auml=e4 brvbar=a6 Ccedil=c7 ccedil=e7 cedil=b8 cent=a2 COPY=a9 copy=a9 curren=a4 deg=b0 divide=f7 Eacute=c9 eacute=e9 Ecirc=ca ecirc=ea Egrave=c8 egrave=e8 ETH=d0 eth=f0 Euml=cb euml=eb frac12=bd frac14=bc frac34=be GT=3e gt=3e Iacute=cd iacute=ed Icirc=ce icirc=ee iexcl=a1 Igrave=cc igrave=ec iquest=bf Iuml=cf iuml=ef laquo=ab LT=3c lt=3c macr=af micro=b5 middot=b7 nbsp=a0 not=ac Ntilde=d1 ntilde=f1 Oacute=d3 oacute=f3 Ocirc=d4 ocirc=f4 Ograve=d2 ograve=f2 ordf=aa ordm=ba Oslash=d8 oslash=f8 Otilde=d5 otilde=f5 Ouml=d6 ouml=f6 para=b6 plusmn=b1 pound=a3 QUOT=22 quot=22 raquo=bb REG=ae reg=ae sect=a7 shy=ad sup1=b9 sup2=b2 sup3=b3 szlig=df THORN=de thorn=fe times=d7 Uacute=da uacute=fa Ucirc=db ucirc=fb Ugrave=d9 ugrave=f9 uml=a8 Uuml=dc uuml=fc Yacute=dd yacute=fd yen=a5 yuml=ff'
    .split(' ')
    .map(e => {
      const [name, hex] = e.split('=');
      return [name, String.fromCodePoint(parseInt(hex, 16))] as const;
    }),
);
/** HTML5 names that begin with a legacy name: without them '&notin;' would decode as '¬in;'. */
const PREFIXED_ENTITIES =
  'centerdot=b7 copysr=2117 divideontimes=22c7 gtcc=2aa7 gtcir=2a7a gtdot=22d7 gtlPar=2995 gtquest=2a7c gtrapprox=2a86 gtrarr=2978 gtrdot=22d7 gtreqless=22db gtreqqless=2a8c gtrless=2277 gtrsim=2273 ltcc=2aa6 ltcir=2a79 ltdot=22d6 lthree=22cb ltimes=22c9 ltlarr=2976 ltquest=2a7b ltri=25c3 ltrie=22b4 ltrif=25c2 ltrPar=2996 notin=2209 notindot=22f5-338 notinE=22f9-338 notinva=2209 notinvb=22f7 notinvc=22f6 notni=220c notniva=220c notnivb=22fe notnivc=22fd parallel=2225 timesb=22a0 timesbar=2a31 timesd=2a30';
const SEMICOLON_ENTITIES: ReadonlyMap<string, string> = new Map([
  ...PREFIXED_ENTITIES.split(' ').map(e => {
    const [name, hex] = e.split('=');
    return [
      name,
      hex
        .split('-')
        .map(h => String.fromCodePoint(parseInt(h, 16)))
        .join(''),
    ] as [string, string];
  }),
  ['apos', "'"],
  ['hellip', '…'],
  ['mdash', '—'],
  ['ndash', '–'],
  ['lsquo', '‘'],
  ['rsquo', '’'],
  ['ldquo', '“'],
  ['rdquo', '”'],
  ['euro', '€'],
  ['trade', '™'],
  ['bull', '•'],
  ['dagger', '†'],
  ['Dagger', '‡'],
  ['permil', '‰'],
  ['lsaquo', '‹'],
  ['rsaquo', '›'],
  ['sbquo', '‚'],
  ['bdquo', '„'],
  ['larr', '←'],
  ['rarr', '→'],
  ['uarr', '↑'],
  ['darr', '↓'],
  ['harr', '↔'],
  ['ne', '≠'],
  ['le', '≤'],
  ['ge', '≥'],
  ['infin', '∞'],
  ['minus', '−'],
  ['asymp', '≈'],
  ['thinsp', '\u2009'],
  ['ensp', '\u2002'],
  ['emsp', '\u2003'],
  ['zwj', '\u200d'],
  ['zwnj', '\u200c'],
]);
/** html._invalid_charrefs: what browsers do with C1 references (windows-1252). */
const CP1252 = '€\x81‚ƒ„…†‡ˆ‰Š‹Œ\x8dŽ\x8f\x90‘’“”•–—˜™š›œ\x9džŸ';

function charref(num: number): string {
  if (num === 0) return '\ufffd';
  if (num === 13) return '\r';
  if (num >= 0x80 && num <= 0x9f) return CP1252[num - 0x80];
  if ((num >= 0xd800 && num <= 0xdfff) || num > 0x10ffff) return '\ufffd';
  if ((num >= 0x1 && num <= 0x8) || num === 0xb || (num >= 0xe && num <= 0x1f) || num === 0x7f || (num >= 0xfdd0 && num <= 0xfdef) || (num & 0xfffe) === 0xfffe)
    return '';
  return String.fromCodePoint(num);
}

export function htmlUnescape(text: string): string {
  if (!text.includes('&')) return text;
  // Python: &(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)
  return text.replace(/&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\t\n\f <&#;]{1,32};?)/g, (_m, ref: string) => {
    if (ref[0] === '#') {
      const hex = ref[1] === 'x' || ref[1] === 'X';
      const digits = ref.slice(hex ? 2 : 1).replace(/;$/, '');
      const num = digits.length > 10 ? Infinity : parseInt(digits, hex ? 16 : 10);
      return charref(num);
    }
    const bare = ref.endsWith(';') ? ref.slice(0, -1) : undefined;
    if (bare !== undefined) {
      const hit = LEGACY_ENTITIES.get(bare) ?? SEMICOLON_ENTITIES.get(bare);
      if (hit !== undefined) return hit;
    } else {
      const hit = LEGACY_ENTITIES.get(ref);
      if (hit !== undefined) return hit;
    }
    // The longest legacy name that prefixes the reference, as the HTML standard says.
    for (let x = ref.length - 1; x > 1; x--) {
      const hit = LEGACY_ENTITIES.get(ref.slice(0, x));
      if (hit !== undefined) return hit + ref.slice(x);
    }
    return '&' + ref;
  });
}

// ---------------------------------------------------------------- list / tuple methods

const LIST = new Map<string, MethodDef>();
TABLE_TYPE.set(LIST, 'list');
const l = (self: PyValue): PyValue[] => self as PyValue[];

def(LIST, 'append', [posreq('object')], (self, a, ctx) => {
  ctx.budget.checkListSize(l(self).length + 1);
  l(self).push(a.get('object')!);
  return null;
});
def(LIST, 'extend', [posreq('iterable')], (self, a, ctx) => {
  const items = iterate(a.get('iterable')!, ctx.span);
  ctx.budget.checkListSize(l(self).length + items.length);
  l(self).push(...items);
  return null;
});
def(LIST, 'insert', [posreq('index'), posreq('object')], (self, a, ctx) => {
  const xs = l(self);
  ctx.budget.checkListSize(xs.length + 1);
  let i = intArg(a.get('index'), ctx, 0);
  if (i < 0) i = Math.max(0, i + xs.length);
  xs.splice(Math.min(i, xs.length), 0, a.get('object')!);
  return null;
});
def(LIST, 'pop', [posopt('index', -1)], (self, a, ctx) => {
  const xs = l(self);
  if (!xs.length) throw new JinjaError('IndexError', 'pop from empty list', ctx.span);
  let i = intArg(a.get('index'), ctx, -1);
  if (i < 0) i += xs.length;
  if (i < 0 || i >= xs.length) throw new JinjaError('IndexError', 'pop index out of range', ctx.span);
  return xs.splice(i, 1)[0];
});
def(LIST, 'remove', [posreq('value')], (self, a, ctx) => {
  const xs = l(self);
  const i = xs.findIndex(x => eq(x, a.get('value')!));
  if (i < 0) throw valueErr('list.remove(x): x not in list', ctx);
  xs.splice(i, 1);
  return null;
});
def(LIST, 'reverse', [], self => {
  l(self).reverse();
  return null;
});
def(LIST, 'clear', [], self => {
  l(self).length = 0;
  return null;
});
def(LIST, 'copy', [], self => l(self).slice());
def(
  LIST,
  'sort',
  [
    { ...opt('key', null), kwOnly: true },
    { ...opt('reverse', false), kwOnly: true },
  ],
  (self, a, ctx) => {
    const xs = l(self);
    const sorted = sortValues(ctx, xs, a.get('key') ?? null, truthy(a.get('reverse') ?? false));
    xs.splice(0, xs.length, ...sorted);
    return null;
  },
);

const SEQ_SHARED = new Map<string, MethodDef>();
TABLE_TYPE.set(SEQ_SHARED, 'tuple');
for (const table of [LIST, SEQ_SHARED]) {
  def(table, 'count', [posreq('value')], (self, a) => seqItems(self).filter(x => eq(x, a.get('value')!)).length);
  def(table, 'index', [posreq('value'), posopt('start', 0), posopt('stop', null)], (self, a, ctx) => {
    const xs = seqItems(self);
    const norm = (v: PyValue | undefined, dflt: number): number => {
      if (v === undefined || v === null) return dflt;
      const x = intArg(v, ctx, dflt);
      return x < 0 ? Math.max(0, x + xs.length) : Math.min(x, xs.length);
    };
    const end = norm(a.get('stop'), xs.length);
    for (let i = norm(a.get('start'), 0); i < end; i++) if (eq(xs[i], a.get('value')!)) return i;
    throw valueErr(Array.isArray(self) ? `${repr(a.get('value')!)} is not in list` : 'tuple.index(x): x not in tuple', ctx);
  });
}
const seqItems = (v: PyValue): readonly PyValue[] => (Array.isArray(v) ? v : (v as PyTuple).items);

/** Stable sort with Python ordering; `key` is any callable value. */
export function sortValues(ctx: CallContext, xs: readonly PyValue[], key: PyValue, reverse: boolean): PyValue[] {
  ctx.budget.step(xs.length);
  let keys: PyValue[] = xs.slice();
  if (key !== null) {
    if (!(key instanceof PyCallable)) throw typeErr(`'${typeName(key)}' object is not callable`, ctx);
    keys = xs.map(x => key.call({ args: [x], kwargs: new Map() }, ctx));
  }
  const idx = xs.map((_, i) => i);
  // Python's sort is stable in both directions: reverse keeps equal items in order.
  idx.sort((i, j) => {
    const c = order(keys[i], keys[j], '<', ctx.span);
    return (reverse ? -c : c) || 0;
  });
  ctx.budget.step(Math.ceil(xs.length * Math.log2(xs.length + 1)));
  return idx.map(i => xs[i]);
}

// ---------------------------------------------------------------- dict methods

const DICT = new Map<string, MethodDef>();
TABLE_TYPE.set(DICT, 'dict');
const d = (self: PyValue): PyDict => self as PyDict;

/** dict_keys / dict_values / dict_items: live views that print like CPython's. */
export class DictView extends PyObject {
  constructor(
    readonly dict: PyDict,
    readonly kind: 'keys' | 'values' | 'items',
  ) {
    super(
      `dict_${kind}`,
      () => undefined,
      () => `dict_${kind}(${repr(this.iterate!())})`,
      () => (kind === 'keys' ? dict.keys() : kind === 'values' ? dict.values() : dict.entries().map(e => new PyTuple(e))),
    );
  }
}

def(DICT, 'keys', [], self => new DictView(d(self), 'keys'));
def(DICT, 'values', [], self => new DictView(d(self), 'values'));
def(DICT, 'items', [], self => new DictView(d(self), 'items'));
def(DICT, 'get', [posreq('key'), posopt('default', null)], (self, a, ctx) => {
  dictKey(a.get('key')!, ctx.span);
  const v = d(self).get(a.get('key')!);
  return v === undefined ? (a.get('default') ?? null) : v;
});
def(DICT, 'setdefault', [posreq('key'), posopt('default', null)], (self, a, ctx) => {
  dictKey(a.get('key')!, ctx.span);
  const v = d(self).get(a.get('key')!);
  if (v !== undefined) return v;
  ctx.budget.checkListSize(d(self).size + 1);
  d(self).set(a.get('key')!, a.get('default') ?? null);
  return a.get('default') ?? null;
});
def(DICT, 'pop', [posreq('key'), posopt('default', null)], (self, a, ctx, call) => {
  const k = a.get('key')!;
  dictKey(k, ctx.span);
  const v = d(self).get(k);
  if (v === undefined) {
    if (call.args.length > 1) return call.args[1];
    throw new JinjaError('KeyError', repr(k), ctx.span);
  }
  d(self).delete(k);
  return v;
});
def(DICT, 'popitem', [], (self, _a, ctx) => {
  const entries = d(self).entries();
  if (!entries.length) throw new JinjaError('KeyError', "'popitem(): dictionary is empty'", ctx.span);
  const last = entries[entries.length - 1];
  d(self).delete(last[0]);
  return new PyTuple(last);
});
def(DICT, 'copy', [], self => new PyDict(d(self).entries()));
def(DICT, 'clear', [], self => {
  d(self).map.clear();
  return null;
});
def(
  DICT,
  'update',
  [posopt('other', null)],
  (self, _a, ctx, call, _rest, extra) => {
    const target = d(self);
    if (call.args.length > 1) throw typeErr(`update expected at most 1 argument, got ${call.args.length}`, ctx);
    if (call.args.length === 1) {
      const other = call.args[0];
      if (other instanceof PyDict) for (const [k, v] of other.entries()) target.set(k, v);
      else {
        iterate(other, ctx.span).forEach((pair, i) => {
          const kv = pair instanceof PyTuple ? pair.items : Array.isArray(pair) ? pair : isStr(pair) ? codePoints(strText(pair)) : undefined;
          if (!kv) throw typeErr(`cannot convert dictionary update sequence element #${i} to a sequence`, ctx);
          if (kv.length !== 2) throw valueErr(`dictionary update sequence element #${i} has length ${kv.length}; 2 is required`, ctx);
          dictKey(kv[0], ctx.span);
          target.set(kv[0], kv[1]);
        });
      }
    }
    for (const [k, v] of extra) target.set(k, v);
    ctx.budget.checkListSize(target.size);
    return null;
  },
  { varkw: true },
);

// ---------------------------------------------------------------- lookup

/** A tuple with named fields (groupby's (grouper, list)); prints as a plain tuple. */
export class NamedTuple extends PyTuple {
  constructor(
    items: readonly PyValue[],
    readonly fields: readonly string[],
  ) {
    super(items);
  }
}

/** The allow-listed attribute or method `name` of `obj` (methods bound); undefined if none. */
export function getMethod(obj: PyValue, name: string): PyValue | undefined {
  if (obj instanceof Undefined) throw undefinedError(obj);
  if (obj instanceof NamedTuple) {
    const i = obj.fields.indexOf(name);
    if (i >= 0) return obj.items[i];
  }
  if (typeof obj === 'string') {
    const m = STR.get(name);
    return m && bindMethod(obj, name, m);
  }
  if (obj instanceof Markup) {
    const extra = MARKUP_EXTRA.get(name);
    if (extra) return bindMethod(obj, name, extra);
    const m = STR.get(name);
    return m && markupMethod(obj, name, m);
  }
  if (Array.isArray(obj)) {
    const m = LIST.get(name);
    return m && bindMethod(obj, name, m);
  }
  if (obj instanceof PyTuple) {
    const m = SEQ_SHARED.get(name);
    return m && bindMethod(obj, name, m);
  }
  if (obj instanceof PyDict) {
    const m = DICT.get(name);
    return m && bindMethod(obj, name, m);
  }
  return undefined;
}

/** For completion and docs: the method names available on a type. */
export function methodNames(kind: 'str' | 'Markup' | 'list' | 'tuple' | 'dict'): string[] {
  switch (kind) {
    case 'str':
      return [...STR.keys()];
    case 'Markup':
      return [...STR.keys(), ...MARKUP_EXTRA.keys()];
    case 'list':
      return [...LIST.keys(), ...SEQ_SHARED.keys()];
    case 'tuple':
      return [...SEQ_SHARED.keys()];
    case 'dict':
      return [...DICT.keys()];
  }
}
