/**
 * Jinja2 3.1's builtin filters, ported from jinja2/filters.py with the same argument names,
 * defaults, Markup rules and error wording. Filters that return a generator in Jinja
 * (map, select, unique, batch, items, ...) return a one-shot generator object here too:
 * it is always true in `if`, has no len(), and a second iteration is empty, as in Python.
 *
 * Deliberate, documented differences: `random` returns the FIRST item (previews must be
 * stable); `urlize`, `wordwrap`, `pprint` and `striptags` are ports of the Python code
 * that cover what templates use (see the notes on each).
 */
import { bindArgs, type Bound, opt, type Param, req } from './args.js';
import { JinjaError, type JinjaErrorType } from './errors.js';
import { formatValue, percentFormat } from './format.js';
import type { EvalHooks, FilterFn } from './hooks.js';
import { dumps } from './json.js';
import { isPySpace, NamedTuple, pyReplace, pyStrip, splitSep, splitWhitespace, striptags } from './methods.js';
import { toFixedPy } from './numfmt.js';
import {
  binop,
  codePoints,
  dictKey,
  eq,
  escape,
  escapeText,
  float,
  getattr,
  getitem,
  isIntLike,
  isIterable,
  isNumber,
  isStr,
  iterate,
  length,
  numValue,
  order,
  pyGetattr,
  pyStrRepr,
  repr,
  slice,
  softStr,
  str,
  strLen,
  strText,
  truthy,
  typeName,
  undefinedLookup,
} from './pyops.js';
import { Markup, PyBigInt, PyCallable, PyDict, PyFloat, PyObject, PyRange, PyTuple, type PyValue, Undefined } from './values.js';

// ---------------------------------------------------------------- registry helpers

type Impl = (ctx: EvalHooks, a: Bound) => PyValue;

interface Def {
  /** Python function name, for TypeErrors ("do_upper() takes 1 positional argument..."). */
  py: string;
  params: Param[];
  /** The filter takes eval_ctx/environment/context first (it counts in Python's messages). */
  pass?: 'eval_ctx' | 'environment' | 'context';
  varargs?: boolean;
  varkw?: boolean;
}

const REGISTRY = new Map<string, FilterFn>();

function filter(names: string[], d: Def, impl: Impl): void {
  const params = d.pass ? [req(d.pass), ...d.params] : d.params;
  const sig = { name: d.py, params, varargs: d.varargs, varkw: d.varkw };
  const fn: FilterFn = (ctx, value, call) => {
    const args = d.pass ? [null, value, ...call.args] : [value, ...call.args];
    const b = bindArgs(sig, { args, kwargs: call.kwargs }, ctx.span);
    return impl(ctx, b);
  };
  for (const n of names) REGISTRY.set(n, fn);
}

export const FILTERS: ReadonlyMap<string, FilterFn> = REGISTRY;

/** Jinja raises TemplateRuntimeError here; errors.ts's union lacks the name (ask the lead to add it). */
const TEMPLATE_RUNTIME_ERROR = 'TemplateRuntimeError' as JinjaErrorType;
const filterArgError = (msg: string, ctx: EvalHooks): JinjaError => new JinjaError('FilterArgumentError', msg, ctx.span);
const typeErr = (msg: string, ctx: EvalHooks): JinjaError => new JinjaError('TypeError', msg, ctx.span);

/** A one-shot Python generator (what Jinja's generator filters return). */
export function generator(pyName: string, items: PyValue[], typeNameText = 'generator'): PyObject {
  let rest: PyValue[] | null = items;
  return new PyObject(
    typeNameText,
    () => undefined,
    () => `<${typeNameText} object ${typeNameText === 'generator' ? pyName + ' ' : ''}at 0x7f0000000000>`,
    () => {
      const r = rest ?? [];
      rest = null;
      return r;
    },
  );
}

const intParam = (v: PyValue, ctx: EvalHooks): number => {
  if (isIntLike(v)) return Number(v);
  if (v instanceof Undefined) throw new JinjaError('UndefinedError', v.hint, ctx.span);
  throw typeErr(`'${typeName(v)}' object cannot be interpreted as an integer`, ctx);
};
const undefinedHint = (hint: string): Undefined => new Undefined('', hint);

/** Filters whose Python code does int()/float()/+=/.items() on the value fail on Undefined. */
function strictValue(ctx: EvalHooks, v: PyValue): PyValue {
  if (v instanceof Undefined) throw new JinjaError('UndefinedError', v.hint, v.span ?? ctx.span);
  return v;
}

// ---------------------------------------------------------------- attribute getters

/** jinja2.filters._prepare_attribute_parts: "a.0.b" -> ['a', 0, 'b']. */
function attributeParts(attr: PyValue): PyValue[] {
  if (attr === null) return [];
  if (isStr(attr))
    return strText(attr)
      .split('.')
      .map(x => (/^[0-9]+$/.test(x) ? Number(x) : x));
  return [attr];
}

const ignoreCase = (v: PyValue): PyValue => (typeof v === 'string' ? v.toLowerCase() : v instanceof Markup ? new Markup(v.text.toLowerCase()) : v);

/** make_attrgetter: item lookups through Environment.getitem, like Jinja. */
function attrGetter(ctx: EvalHooks, attribute: PyValue, postprocess?: (v: PyValue) => PyValue, dflt: PyValue = null): (item: PyValue) => PyValue {
  const parts = attributeParts(attribute);
  return item => {
    for (const p of parts) {
      item = getitem(ctx, item, p);
      if (dflt !== null && item instanceof Undefined) item = dflt;
    }
    return postprocess ? postprocess(item) : item;
  };
}

/** make_multi_attrgetter: "a,b" sorts by a list of keys. */
function multiAttrGetter(ctx: EvalHooks, attribute: PyValue, postprocess?: (v: PyValue) => PyValue): (item: PyValue) => PyValue {
  const split = isStr(attribute) ? strText(attribute).split(',') : [attribute];
  const parts = split.map(s => attributeParts(s));
  return item =>
    parts.map(ps => {
      let v = item;
      for (const p of ps) v = getitem(ctx, v, p);
      return postprocess ? postprocess(v) : v;
    });
}

function keyed(ctx: EvalHooks, items: PyValue[], key: (v: PyValue) => PyValue, reverse: boolean): PyValue[] {
  ctx.budget.step(items.length);
  const keys = items.map(key);
  const idx = items.map((_, i) => i);
  idx.sort((i, j) => {
    const c = order(keys[i], keys[j], '<', ctx.span);
    return (reverse ? -c : c) || 0;
  });
  return idx.map(i => items[i]);
}

// ---------------------------------------------------------------- string filters

filter(['upper'], { py: 'do_upper', params: [req('s')] }, (ctx, a) => callStrMethod(ctx, softStr(a.get('s')), 'upper'));
filter(['lower'], { py: 'do_lower', params: [req('s')] }, (ctx, a) => callStrMethod(ctx, softStr(a.get('s')), 'lower'));
filter(['capitalize'], { py: 'do_capitalize', params: [req('s')] }, (ctx, a) => callStrMethod(ctx, softStr(a.get('s')), 'capitalize'));
filter(['title'], { py: 'do_title', params: [req('s')] }, (_ctx, a) => doTitle(strText(softStr(a.get('s')))));
filter(['center'], { py: 'do_center', params: [req('value'), opt('width', 80)] }, (ctx, a) =>
  callStrMethod(ctx, softStr(a.get('value')), 'center', [a.get('width')]),
);
filter(['trim'], { py: 'do_trim', params: [req('value'), opt('chars', null)] }, (ctx, a) =>
  callStrMethod(ctx, softStr(a.get('value')), 'strip', [a.get('chars')]),
);
filter(['string'], { py: 'soft_str', params: [req('s')] }, (_ctx, a) => softStr(a.get('s')));
filter(['safe'], { py: 'do_mark_safe', params: [req('value')] }, (ctx, a) => {
  const v = a.get('value');
  return v instanceof Markup ? v : new Markup(str(v, ctx.budget));
});
filter(['e', 'escape'], { py: 'escape', params: [req('s')] }, (_ctx, a) => escape(a.get('s')));
filter(['forceescape'], { py: 'do_forceescape', params: [req('value')] }, (_ctx, a) => {
  const v = a.get('value');
  return new Markup(escapeText(v instanceof Markup ? v.text : str(v)));
});
filter(['striptags'], { py: 'do_striptags', params: [req('value')] }, (_ctx, a) => {
  const v = a.get('value');
  return striptags(v instanceof Markup ? v.text : str(v));
});
filter(['wordcount'], { py: 'do_wordcount', params: [req('s')] }, (_ctx, a) => {
  const m = strText(softStr(a.get('s'))).match(/[\p{L}\p{N}_]+/gu);
  return m ? m.length : 0;
});
filter(['replace'], { py: 'do_replace', pass: 'eval_ctx', params: [req('s'), req('old'), req('new'), opt('count', null)] }, (ctx, a) => {
  const count = a.get('count') === null ? -1 : intParam(a.get('count'), ctx);
  const s = a.get('s');
  const old = a.get('old');
  const nw = a.get('new');
  if (!ctx.autoescape) return pyReplace(str(s, ctx.budget), str(old), str(nw), count, ctx);
  let base: string | Markup;
  if (old instanceof Markup || (nw instanceof Markup && !(s instanceof Markup))) base = escape(s);
  else base = softStr(s);
  return callStrMethod(ctx, base, 'replace', [softStr(old), softStr(nw), count]);
});
filter(['format'], { py: 'do_format', params: [req('value')], varargs: true, varkw: true }, (ctx, a) => {
  if (a.rest.length && a.extra.size) throw filterArgError("can't handle positional and keyword arguments at the same time", ctx);
  const arg: PyValue = a.extra.size ? new PyDict([...a.extra]) : new PyTuple(a.rest);
  return percentFormat(ctx, softStr(a.get('value')), arg);
});
filter(
  ['truncate'],
  { py: 'do_truncate', pass: 'environment', params: [req('s'), opt('length', 255), opt('killwords', false), opt('end', '...'), opt('leeway', null)] },
  (ctx, a) => {
    const s = a.get('s');
    const len = intParam(a.get('length'), ctx);
    const end = a.get('end');
    const leeway = a.get('leeway') === null ? 5 : intParam(a.get('leeway'), ctx);
    const endLen = length(end, ctx.span);
    if (len < endLen) throw new JinjaError('RuntimeError', `AssertionError: expected length >= ${endLen}, got ${len}`, ctx.span);
    if (leeway < 0) throw new JinjaError('RuntimeError', `AssertionError: expected leeway >= 0, got ${leeway}`, ctx.span);
    if (length(s, ctx.span) <= len + leeway) return s;
    const head = slice(ctx, s, null, len - endLen, null);
    if (truthy(a.get('killwords'))) return binop(ctx, '+', head, end);
    const text = strText(head as string | Markup);
    const cut = text.lastIndexOf(' ');
    const kept = cut >= 0 ? text.slice(0, cut) : text;
    return binop(ctx, '+', head instanceof Markup ? new Markup(kept) : kept, end);
  },
);
filter(
  ['wordwrap'],
  {
    py: 'do_wordwrap',
    pass: 'environment',
    params: [req('s'), opt('width', 79), opt('break_long_words', true), opt('wrapstring', null), opt('break_on_hyphens', true)],
  },
  (ctx, a) => {
    const s = strictValue(ctx, a.get('s'));
    if (!isStr(s)) throw new JinjaError('AttributeError', `'${typeName(s)}' object has no attribute 'splitlines'`, ctx.span);
    const wrap = a.get('wrapstring') === null ? '\n' : strText(softStr(a.get('wrapstring')));
    const width = intParam(a.get('width'), ctx);
    if (width <= 0) throw new JinjaError('ValueError', `invalid width ${width} (must be > 0)`, ctx.span);
    const lines = splitLinesPy(strText(s)).map(line => wrapLine(line, width, truthy(a.get('break_long_words')), truthy(a.get('break_on_hyphens'))).join(wrap));
    const out = lines.join(wrap);
    ctx.budget.checkStringSize(out.length);
    return out;
  },
);
filter(['indent'], { py: 'do_indent', params: [req('s'), opt('width', 4), opt('first', false), opt('blank', false)] }, (ctx, a) => {
  const s = strictValue(ctx, a.get('s'));
  const w = a.get('width');
  const markup = s instanceof Markup;
  if (!isStr(s)) throw typeErr(`unsupported operand type(s) for +=: '${typeName(s)}' and 'str'`, ctx);
  let indention: string;
  // do_indent wraps the indent in Markup() for Markup input: marked safe, not escaped.
  if (isStr(w)) indention = strText(w);
  else {
    const n = Math.max(0, intParam(w, ctx));
    ctx.budget.checkStringSize(n);
    indention = ' '.repeat(n);
  }
  const lines = splitLinesPy(strText(s) + '\n');
  ctx.budget.checkStringSize(strText(s).length + lines.length * (indention.length + 1));
  let rv: string;
  if (truthy(a.get('blank'))) rv = lines.join('\n' + indention);
  else {
    rv = lines.shift() ?? '';
    if (lines.length) rv += '\n' + lines.map(l => (l ? indention + l : l)).join('\n');
  }
  if (truthy(a.get('first'))) rv = indention + rv;
  return markup ? new Markup(rv) : rv;
});
filter(['xmlattr'], { py: 'do_xmlattr', pass: 'eval_ctx', params: [req('d'), opt('autospace', true)] }, (ctx, a) => {
  const d = strictValue(ctx, a.get('d'));
  if (!(d instanceof PyDict)) throw new JinjaError('AttributeError', `'${typeName(d)}' object has no attribute 'items'`, ctx.span);
  const items: string[] = [];
  for (const [k, v] of d.entries()) {
    if (v === null || v instanceof Undefined) continue;
    const key = str(k);
    if (/[\s/>=]/.test(key)) throw new JinjaError('ValueError', `Invalid character in attribute name: ${repr(k)}`, ctx.span);
    items.push(`${escape(k).text}="${escape(v).text}"`);
  }
  let rv = items.join(' ');
  if (truthy(a.get('autospace')) && rv) rv = ' ' + rv;
  return ctx.autoescape ? new Markup(rv) : rv;
});
filter(['tojson'], { py: 'do_tojson', pass: 'eval_ctx', params: [req('value'), opt('indent', null)] }, (ctx, a) => {
  const ind = a.get('indent');
  const indent = ind === null ? null : isStr(ind) ? strText(ind) : intParam(ind, ctx);
  const text = dumps(a.get('value'), { indent, sortKeys: true, budget: ctx.budget });
  return new Markup(text.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026').replace(/'/g, '\\u0027'));
});
filter(['urlencode'], { py: 'do_urlencode', params: [req('value')] }, (ctx, a) => {
  const v = a.get('value');
  if (isStr(v) || !isIterable(v) || v instanceof Undefined) {
    if (v instanceof Undefined) return '';
    return urlQuote(str(v), false);
  }
  const pairs = v instanceof PyDict ? v.entries() : iterate(v, ctx.span).map(p => unpack2(p, ctx));
  return pairs.map(([k, x]) => `${urlQuote(str(k), true)}=${urlQuote(str(x), true)}`).join('&');
});
filter(
  ['urlize'],
  {
    py: 'do_urlize',
    pass: 'eval_ctx',
    params: [req('value'), opt('trim_url_limit', null), opt('nofollow', false), opt('target', null), opt('rel', null), opt('extra_schemes', null)],
  },
  (ctx, a) => {
    const relParts = new Set(splitWhitespace(a.get('rel') === null ? '' : str(a.get('rel'))));
    if (truthy(a.get('nofollow'))) relParts.add('nofollow');
    relParts.add('noopener');
    const rel = [...relParts].sort().join(' ') || null;
    const schemes = a.get('extra_schemes') === null ? null : iterate(a.get('extra_schemes'), ctx.span).map(x => str(x));
    for (const sc of schemes ?? []) {
      if (!/^[\p{L}\p{N}_.+-]{2,}:(\/){0,2}$/u.test(sc)) throw filterArgError(`${repr(sc)} is not a valid URI scheme prefix.`, ctx);
    }
    const limit = a.get('trim_url_limit') === null ? null : intParam(a.get('trim_url_limit'), ctx);
    const target = a.get('target') === null ? null : str(a.get('target'));
    const rv = urlize(escape(a.get('value')).text, limit, rel, target, schemes);
    return ctx.autoescape ? new Markup(rv) : rv;
  },
);
filter(['filesizeformat'], { py: 'do_filesizeformat', params: [req('value'), opt('binary', false)] }, (ctx, a) => {
  const bytes = toPyFloat(strictValue(ctx, a.get('value')), ctx);
  const binary = truthy(a.get('binary'));
  const base = binary ? 1024 : 1000;
  const prefixes = binary ? ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB', 'ZiB', 'YiB'] : ['kB', 'MB', 'GB', 'TB', 'PB', 'EB', 'ZB', 'YB'];
  if (bytes === 1) return '1 Byte';
  if (bytes < base) return `${formatValue(ctx, Math.trunc(bytes), '')} Bytes`;
  let unit = base;
  let prefix = prefixes[0];
  for (let i = 0; i < prefixes.length; i++) {
    unit = base ** (i + 2);
    prefix = prefixes[i];
    if (bytes < unit) break;
  }
  return `${formatValue(ctx, float((base * bytes) / unit), '.1f')} ${prefix}`;
});
filter(['pprint'], { py: 'do_pprint', params: [req('value')] }, (ctx, a) => pformat(a.get('value'), ctx));

// ---------------------------------------------------------------- numbers

filter(['abs'], { py: 'abs', params: [req('x')] }, (ctx, a) => {
  const v = a.get('x');
  if (isIntLike(v)) return Math.abs(Number(v));
  if (v instanceof PyFloat) return float(Math.abs(v.value));
  throw typeErr(`bad operand type for abs(): '${typeName(v)}'`, ctx);
});
filter(['int'], { py: 'do_int', params: [req('value'), opt('default', 0), opt('base', 10)] }, (ctx, a) => {
  const v = strictValue(ctx, a.get('value'));
  if (isStr(v)) {
    const b = a.get('base');
    const n = isIntLike(b) ? parseIntPy(strText(v), Number(b)) : null;
    if (n !== null) return n;
    const f = parseFloatPy(strText(v));
    if (f !== null) return truncFloat(f, ctx) ?? a.get('default');
    return a.get('default');
  }
  if (isIntLike(v)) return Number(v);
  if (v instanceof PyBigInt) return v;
  if (v instanceof PyFloat) return truncFloat(v.value, ctx) ?? a.get('default');
  return a.get('default');
});
filter(['float'], { py: 'do_float', params: [req('value'), opt('default', float(0))] }, (ctx, a) => {
  const v = strictValue(ctx, a.get('value'));
  if (isNumber(v)) return float(numValue(v));
  if (isStr(v)) {
    const f = parseFloatPy(strText(v));
    return f === null ? a.get('default') : float(f);
  }
  return a.get('default');
});
filter(['round'], { py: 'do_round', params: [req('value'), opt('precision', 0), opt('method', 'common')] }, (ctx, a) => {
  const method = a.get('method');
  if (!(isStr(method) && ['common', 'ceil', 'floor'].includes(strText(method)))) throw filterArgError('method must be common, ceil or floor', ctx);
  const v = a.get('value');
  const p = intParam(a.get('precision'), ctx);
  if (!isNumber(v)) {
    if (strText(method) === 'common') throw typeErr(`type ${typeName(v)} doesn't define __round__ method`, ctx);
    throw typeErr(`can't multiply sequence by non-int of type 'int'`, ctx);
  }
  if (strText(method) === 'common') return pyRound(v, p);
  const scale = 10 ** p;
  const x = numValue(v) * scale;
  const r = strText(method) === 'ceil' ? Math.ceil(x) : Math.floor(x);
  return float(r / scale);
});
filter(['sum'], { py: 'sync_do_sum', pass: 'environment', params: [req('iterable'), opt('attribute', null), opt('start', 0)] }, (ctx, a) => {
  let items = iterate(a.get('iterable'), ctx.span);
  if (a.get('attribute') !== null) items = items.map(attrGetter(ctx, a.get('attribute')));
  let total = a.get('start');
  if (isStr(total)) throw typeErr("sum() can't sum strings [use ''.join(seq) instead]", ctx);
  for (const x of items) {
    ctx.budget.step();
    total = binop(ctx, '+', total, x);
  }
  return total;
});

// ---------------------------------------------------------------- sequences

filter(['length', 'count'], { py: 'len', params: [req('obj')] }, (ctx, a) => length(a.get('obj'), ctx.span));
filter(['list'], { py: 'sync_do_list', params: [req('value')] }, (ctx, a) => iterate(a.get('value'), ctx.span));
filter(['first'], { py: 'sync_do_first', pass: 'environment', params: [req('seq')] }, (ctx, a) => {
  const items = iterate(a.get('seq'), ctx.span);
  return items.length ? items[0] : undefinedHint('No first item, sequence was empty.');
});
filter(['last'], { py: 'do_last', pass: 'environment', params: [req('seq')] }, (ctx, a) => {
  const v = a.get('seq');
  if (v instanceof PyObject && !v.typeName.startsWith('dict_')) throw typeErr(`'${v.typeName}' object is not reversible`, ctx);
  const items = iterate(v, ctx.span);
  return items.length ? items[items.length - 1] : undefinedHint('No last item, sequence was empty.');
});
// Deterministic on purpose: a preview must not change between renders.
filter(['random'], { py: 'do_random', pass: 'context', params: [req('seq')] }, (ctx, a) => {
  const v = a.get('seq');
  if (v instanceof PyDict) throw new JinjaError('KeyError', '0', ctx.span);
  if (v instanceof PyObject) throw typeErr(`object of type '${v.typeName}' has no len()`, ctx);
  const items = iterate(v, ctx.span);
  return items.length ? items[0] : undefinedHint('No random item, sequence was empty.');
});
filter(['reverse'], { py: 'do_reverse', params: [req('value')] }, (ctx, a) => {
  const v = a.get('value');
  if (isStr(v)) return slice(ctx, v, null, null, -1);
  if (!isIterable(v) || v instanceof Undefined) {
    if (v instanceof Undefined) return generator('', [], 'reversed');
    throw filterArgError('argument must be iterable', ctx);
  }
  const items = iterate(v, ctx.span).reverse();
  if (Array.isArray(v)) return generator('', items, 'list_reverseiterator');
  if (v instanceof PyTuple) return generator('', items, 'reversed');
  if (v instanceof PyDict) return generator('', items, 'dict_reversekeyiterator');
  if (v instanceof PyRange) return generator('', items, 'range_iterator');
  return items;
});
filter(['join'], { py: 'sync_do_join', pass: 'eval_ctx', params: [req('value'), opt('d', ''), opt('attribute', null)] }, (ctx, a) => {
  let items = iterate(a.get('value'), ctx.span);
  ctx.budget.step(items.length);
  if (a.get('attribute') !== null) items = items.map(attrGetter(ctx, a.get('attribute')));
  const d = a.get('d');
  const join = (sep: string, parts: string[]): string => {
    ctx.budget.checkStringSize(parts.reduce((n, p) => n + p.length, 0) + sep.length * parts.length);
    return parts.join(sep);
  };
  if (!ctx.autoescape)
    return join(
      str(d),
      items.map(x => str(x, ctx.budget)),
    );
  if (!(d instanceof Markup)) {
    const anyMarkup = items.some(x => x instanceof Markup);
    if (anyMarkup)
      return new Markup(
        join(
          escape(d).text,
          items.map(x => (x instanceof Markup ? x.text : escapeText(str(x, ctx.budget)))),
        ),
      );
    return join(
      str(d),
      items.map(x => str(x, ctx.budget)),
    );
  }
  return new Markup(
    join(
      d.text,
      items.map(x => escape(x).text),
    ),
  );
});
filter(['batch'], { py: 'do_batch', params: [req('value'), req('linecount'), opt('fill_with', null)] }, (ctx, a) => {
  const n = intParam(a.get('linecount'), ctx);
  const fill = a.get('fill_with');
  const out: PyValue[][] = [];
  let tmp: PyValue[] = [];
  for (const item of iterate(a.get('value'), ctx.span)) {
    ctx.budget.step();
    if (tmp.length === n) {
      out.push(tmp);
      tmp = [];
    }
    tmp.push(item);
  }
  if (tmp.length) {
    if (fill !== null && tmp.length < n) {
      ctx.budget.checkListSize(n);
      while (tmp.length < n) tmp.push(fill);
    }
    out.push(tmp);
  }
  return generator('do_batch', out);
});
filter(['slice'], { py: 'sync_do_slice', params: [req('value'), req('slices'), opt('fill_with', null)] }, (ctx, a) => {
  const seq = iterate(a.get('value'), ctx.span);
  const slices = intParam(a.get('slices'), ctx);
  const fill = a.get('fill_with');
  if (slices === 0) throw new JinjaError('ZeroDivisionError', 'integer division or modulo by zero', ctx.span);
  ctx.budget.checkListSize(Math.max(0, slices));
  const per = Math.floor(seq.length / slices);
  const extra = ((seq.length % slices) + slices) % slices;
  let offset = 0;
  const out: PyValue[] = [];
  for (let n = 0; n < slices; n++) {
    ctx.budget.step();
    const start = offset + n * per;
    if (n < extra) offset += 1;
    const end = offset + (n + 1) * per;
    const tmp = slice(ctx, seq, start, end, null) as PyValue[];
    if (fill !== null && n >= extra) tmp.push(fill);
    out.push(tmp);
  }
  return generator('sync_do_slice', out);
});
filter(['items'], { py: 'do_items', params: [req('value')] }, (ctx, a) => {
  const v = a.get('value');
  if (v instanceof Undefined) return generator('do_items', []);
  if (!(v instanceof PyDict)) throw typeErr('Can only get item pairs from a mapping.', ctx);
  return generator(
    'do_items',
    v.entries().map(e => new PyTuple(e)),
  );
});
filter(['dictsort'], { py: 'do_dictsort', params: [req('value'), opt('case_sensitive', false), opt('by', 'key'), opt('reverse', false)] }, (ctx, a) => {
  const by = a.get('by');
  const pos = isStr(by) && strText(by) === 'key' ? 0 : isStr(by) && strText(by) === 'value' ? 1 : -1;
  if (pos < 0) throw filterArgError('You can only sort by either "key" or "value"', ctx);
  const v = strictValue(ctx, a.get('value'));
  if (!(v instanceof PyDict)) throw new JinjaError('AttributeError', `'${typeName(v)}' object has no attribute 'items'`, ctx.span);
  const cs = truthy(a.get('case_sensitive'));
  const items = v.entries().map(e => new PyTuple(e) as PyValue);
  return keyed(
    ctx,
    items,
    it => {
      const x = (it as PyTuple).items[pos];
      return cs ? x : ignoreCase(x);
    },
    truthy(a.get('reverse')),
  );
});
filter(
  ['sort'],
  { py: 'do_sort', pass: 'environment', params: [req('value'), opt('reverse', false), opt('case_sensitive', false), opt('attribute', null)] },
  (ctx, a) => {
    const key = multiAttrGetter(ctx, a.get('attribute'), truthy(a.get('case_sensitive')) ? undefined : ignoreCase);
    return keyed(ctx, iterate(a.get('value'), ctx.span), key, truthy(a.get('reverse')));
  },
);
filter(['unique'], { py: 'do_unique', pass: 'environment', params: [req('value'), opt('case_sensitive', false), opt('attribute', null)] }, (ctx, a) => {
  const getter = attrGetter(ctx, a.get('attribute'), truthy(a.get('case_sensitive')) ? undefined : ignoreCase);
  const seen = new Set<unknown>();
  const out: PyValue[] = [];
  for (const item of iterate(a.get('value'), ctx.span)) {
    ctx.budget.step();
    const k = dictKey(getter(item), ctx.span);
    if (!seen.has(k)) {
      seen.add(k);
      out.push(item);
    }
  }
  return generator('do_unique', out);
});
for (const [name, sign] of [
  ['min', -1],
  ['max', 1],
] as const) {
  filter([name], { py: `do_${name}`, pass: 'environment', params: [req('value'), opt('case_sensitive', false), opt('attribute', null)] }, (ctx, a) => {
    const items = iterate(a.get('value'), ctx.span);
    if (!items.length) return undefinedHint('No aggregated item, sequence was empty.');
    const key = attrGetter(ctx, a.get('attribute'), truthy(a.get('case_sensitive')) ? undefined : ignoreCase);
    let best = items[0];
    let bestKey = key(best);
    for (const x of items.slice(1)) {
      ctx.budget.step();
      const k = key(x);
      if (order(k, bestKey, sign < 0 ? '<' : '>', ctx.span) * sign > 0) {
        best = x;
        bestKey = k;
      }
    }
    return best;
  });
}
filter(
  ['groupby'],
  { py: 'sync_do_groupby', pass: 'environment', params: [req('value'), req('attribute'), opt('default', null), opt('case_sensitive', false)] },
  (ctx, a) => {
    const cs = truthy(a.get('case_sensitive'));
    const expr = attrGetter(ctx, a.get('attribute'), cs ? undefined : ignoreCase, a.get('default'));
    const sorted = keyed(ctx, iterate(a.get('value'), ctx.span), expr, false);
    const groups: [PyValue, PyValue[]][] = [];
    for (const item of sorted) {
      const k = expr(item);
      const last = groups[groups.length - 1];
      if (last && eq(last[0], k)) last[1].push(item);
      else groups.push([k, [item]]);
    }
    const output = cs ? undefined : attrGetter(ctx, a.get('attribute'), undefined, a.get('default'));
    return groups.map(([k, vs]) => new NamedTuple([output ? output(vs[0]) : k, vs], ['grouper', 'list']));
  },
);
filter(['default', 'd'], { py: 'do_default', params: [req('value'), opt('default_value', ''), opt('boolean', false)] }, (_ctx, a) => {
  const v = a.get('value');
  if (v instanceof Undefined || (truthy(a.get('boolean')) && !truthy(v))) return a.get('default_value');
  return v;
});
filter(['attr'], { py: 'do_attr', pass: 'environment', params: [req('obj'), req('name')] }, (ctx, a) => {
  const obj = a.get('obj');
  const name = a.get('name');
  if (obj instanceof Undefined) throw new JinjaError('UndefinedError', obj.hint, ctx.span);
  if (!isStr(name)) throw typeErr(`attribute name must be string, not '${typeName(name)}'`, ctx);
  if (pyGetattr(obj, strText(name)) === undefined) return undefinedLookup(obj, strText(name), ctx.span);
  return getattr(ctx, obj, strText(name));
});
filter(['map'], { py: 'sync_do_map', pass: 'context', params: [req('value')], varargs: true, varkw: true }, (ctx, a) => {
  const v = a.get('value');
  if (!truthy(v)) return generator('sync_do_map', []);
  const kwargs = new Map(a.extra);
  let func: (x: PyValue) => PyValue;
  if (!a.rest.length && kwargs.has('attribute')) {
    const attribute = kwargs.get('attribute')!;
    kwargs.delete('attribute');
    const dflt = kwargs.get('default') ?? null;
    kwargs.delete('default');
    if (kwargs.size) throw filterArgError(`Unexpected keyword argument ${repr([...kwargs.keys()][0])}`, ctx);
    func = attrGetter(ctx, attribute, undefined, dflt);
  } else {
    if (!a.rest.length) throw filterArgError('map requires a filter argument', ctx);
    const name = a.rest[0];
    const args = { args: a.rest.slice(1), kwargs };
    if (!isStr(name) || !ctx.hasFilter(strText(name))) throw new JinjaError(TEMPLATE_RUNTIME_ERROR, `No filter named ${repr(name)}.`, ctx.span);
    func = x => ctx.callFilter(strText(name), x, args);
  }
  const out: PyValue[] = [];
  for (const x of iterate(v, ctx.span)) {
    ctx.budget.step();
    out.push(func(x));
  }
  return generator('sync_do_map', out);
});
for (const [name, negate, attr] of [
  ['select', false, false],
  ['reject', true, false],
  ['selectattr', false, true],
  ['rejectattr', true, true],
] as const) {
  filter([name], { py: `sync_do_${name}`, pass: 'context', params: [req('value')], varargs: true, varkw: true }, (ctx, a) => {
    const v = a.get('value');
    const gen = `select_or_reject`;
    if (!truthy(v)) return generator(gen, []);
    let trans = (x: PyValue): PyValue => x;
    let off = 0;
    if (attr) {
      if (!a.rest.length) throw filterArgError('Missing parameter for attribute name', ctx);
      trans = attrGetter(ctx, a.rest[0]);
      off = 1;
    }
    let test: (x: PyValue) => boolean = truthy;
    if (a.rest.length > off) {
      const tname = a.rest[off];
      const targs = { args: a.rest.slice(off + 1), kwargs: a.extra };
      if (!isStr(tname) || !ctx.hasTest(strText(tname))) throw new JinjaError(TEMPLATE_RUNTIME_ERROR, `No test named ${repr(tname)}.`, ctx.span);
      test = x => ctx.callTest(strText(tname), x, targs);
    }
    const out: PyValue[] = [];
    for (const x of iterate(v, ctx.span)) {
      ctx.budget.step();
      if (test(trans(x)) !== negate) out.push(x);
    }
    return generator(gen, out);
  });
}

// ---------------------------------------------------------------- helpers

/** Calls an allow-listed str/Markup method (so Markup filters escape like markupsafe). */
function callStrMethod(ctx: EvalHooks, s: string | Markup, name: string, args: PyValue[] = []): PyValue {
  const m = pyGetattr(s, name) as PyCallable;
  return m.call({ args, kwargs: new Map() }, ctx);
}

function doTitle(s: string): string {
  // _word_beginning_split_re = r"([-\s({\[<]+)": capitalise each chunk, lower the rest.
  const isSep = (ch: string): boolean => ch === '-' || ch === '(' || ch === '{' || ch === '[' || ch === '<' || isPySpace(ch);
  let out = '';
  let chunk = '';
  let sepRun = false;
  const flush = (): void => {
    if (!chunk) return;
    if (sepRun) out += chunk;
    else {
      const cps = codePoints(chunk);
      out += cps[0].toUpperCase() + cps.slice(1).join('').toLowerCase(); // do_title uses str.upper()
    }
    chunk = '';
  };
  for (const ch of s) {
    const sep = isSep(ch);
    if (sep !== sepRun) {
      flush();
      sepRun = sep;
    }
    chunk += ch;
  }
  flush();
  return out;
}

function truncFloat(x: number, ctx: EvalHooks): number | null {
  if (Number.isNaN(x)) return null;
  if (!Number.isFinite(x)) throw new JinjaError('OverflowError', 'cannot convert float infinity to integer', ctx.span);
  const t = Math.trunc(x);
  return t === 0 ? 0 : t;
}

function toPyFloat(v: PyValue, ctx: EvalHooks): number {
  if (isNumber(v)) return numValue(v);
  if (isStr(v)) {
    const f = parseFloatPy(strText(v));
    if (f === null) throw new JinjaError('ValueError', `could not convert string to float: ${repr(strText(v))}`, ctx.span);
    return f;
  }
  throw typeErr(`float() argument must be a string or a real number, not '${typeName(v)}'`, ctx);
}

/** int() and float() accept any Unicode decimal digit; map them to ASCII first. */
function asciiDigits(s: string): string {
  if (/^[\x00-\x7f]*$/.test(s)) return s;
  return s.replace(/\p{Nd}/gu, ch => {
    // Decimal digits come in runs of whole sets of ten (0-9, 0-9...): position mod 10.
    let cp = ch.codePointAt(0)!;
    let n = 0;
    while (n < 100 && /\p{Nd}/u.test(String.fromCodePoint(cp - 1))) {
      cp--;
      n++;
    }
    return String(n % 10);
  });
}

/** Python int(text, base); null where Python raises ValueError. */
export function parseIntPy(text: string, base: number): number | null {
  let s = asciiDigits(pyStrip(text, null, true, true));
  if (base !== 0 && (base < 2 || base > 36)) return null;
  let sign = 1;
  if (s[0] === '+' || s[0] === '-') {
    if (s[0] === '-') sign = -1;
    s = s.slice(1);
  }
  const lower = s.toLowerCase();
  let b = base;
  const prefixes: [string, number][] = [
    ['0x', 16],
    ['0o', 8],
    ['0b', 2],
  ];
  for (const [p, pb] of prefixes) {
    if (lower.startsWith(p) && (b === 0 || b === pb)) {
      b = pb;
      s = s.slice(2);
      // int('0x_1f', 16) is valid: one underscore may follow the prefix.
      if (s.startsWith('_')) s = s.slice(1);
      break;
    }
  }
  if (b === 0) {
    b = 10;
    if (/^0+[1-9]/.test(s.replace(/_/g, ''))) return null;
  }
  if (!s || s.startsWith('_') || s.endsWith('_') || s.includes('__')) return null;
  const digits = s.replace(/_/g, '');
  let value = 0n;
  for (const ch of digits.toLowerCase()) {
    const d = ch >= '0' && ch <= '9' ? ch.charCodeAt(0) - 48 : ch >= 'a' && ch <= 'z' ? ch.charCodeAt(0) - 87 : 99;
    if (d >= b) return null;
    value = value * BigInt(b) + BigInt(d);
  }
  const n = Number(value) * sign;
  return n === 0 ? 0 : n;
}

/** Python float(text); null where Python raises ValueError. */
export function parseFloatPy(text: string): number | null {
  const s = asciiDigits(pyStrip(text, null, true, true));
  const m = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (m) return m[2].toLowerCase() === 'nan' ? NaN : m[1] === '-' ? -Infinity : Infinity;
  const num = /^[+-]?(?:\d(?:_?\d)*)?(?:\.(?:\d(?:_?\d)*)?)?(?:[eE][+-]?\d(?:_?\d)*)?$/;
  if (!num.test(s)) return null;
  const mant = s.split(/[eE]/)[0];
  if (!/\d/.test(mant)) return null;
  return Number(s.replace(/_/g, ''));
}

/** Python round(number, ndigits) (round half to even on the exact binary value). */
function pyRound(v: number | boolean | PyFloat, p: number): PyValue {
  if (isIntLike(v)) {
    const n = Number(v);
    if (p >= 0) return n;
    const scale = 10 ** -p;
    const q = n / scale;
    let r = Math.round(q);
    if (Math.abs(q % 1) === 0.5 && r % 2 !== 0) r -= 1;
    return r * scale;
  }
  const x = v.value;
  if (!Number.isFinite(x)) return float(x);
  if (p >= 0) {
    if (p > 330) return float(x);
    const t = Number(toFixedPy(x, p));
    return float(x < 0 || Object.is(x, -0) ? -t : t);
  }
  const scale = 10 ** -p;
  const t = Number(toFixedPy(x / scale, 0)) * scale;
  return float(x < 0 ? -t : t);
}

function unpack2(p: PyValue, ctx: EvalHooks): [PyValue, PyValue] {
  const items = p instanceof PyTuple ? p.items : Array.isArray(p) ? p : isStr(p) ? codePoints(strText(p)) : undefined;
  if (!items) throw typeErr(`cannot unpack non-iterable ${typeName(p)} object`, ctx);
  if (items.length !== 2) {
    throw new JinjaError(
      'ValueError',
      items.length > 2 ? 'too many values to unpack (expected 2)' : `not enough values to unpack (expected 2, got ${items.length})`,
      ctx.span,
    );
  }
  return [items[0], items[1]];
}

/** jinja2.utils.url_quote: UTF-8 percent-encoding; '/' kept unless for a query string. */
export function urlQuote(s: string, forQs: boolean): string {
  let out = '';
  for (const byte of new TextEncoder().encode(s)) {
    const ch = String.fromCharCode(byte);
    if (/[A-Za-z0-9_.~-]/.test(ch) || (!forQs && ch === '/')) out += ch;
    else out += '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return forQs ? out.replace(/%20/g, '+') : out;
}

const LINE_BREAKS = new Set(['\n', '\r', '\x0b', '\x0c', '\x1c', '\x1d', '\x1e', '\x85', '\u2028', '\u2029']);
function splitLinesPy(s: string): string[] {
  const out: string[] = [];
  let line = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (LINE_BREAKS.has(c)) {
      if (c === '\r' && s[i + 1] === '\n') i++;
      out.push(line);
      line = '';
    } else line += c;
  }
  if (line) out.push(line);
  return out;
}

/**
 * textwrap.wrap(line, width, expand_tabs=False, replace_whitespace=False, ...): chunks
 * split as textwrap.TextWrapper.wordsep_re does, then greedy filling.
 */
function wrapLine(text: string, width: number, breakLong: boolean, breakHyphens: boolean): string[] {
  const WS = '[\\t\\n\\x0b\\x0c\\r ]';
  const NWS = '[^\\t\\n\\x0b\\x0c\\r ]';
  const L = '[\\p{L}_]';
  const re = breakHyphens
    ? new RegExp(
        `(${WS}+|(?<=[\\p{L}\\p{N}_!"'&.,?])-{2,}(?=[\\p{L}\\p{N}_])|${NWS}+?(?:-(?:(?<=${L}{2}-)|(?<=${L}-${L}-))(?=${L}-?${L})|(?=${WS}|$)|(?<=[\\p{L}\\p{N}_!"'&.,?])(?=-{2,}[\\p{L}\\p{N}_])))`,
        'gu',
      )
    : new RegExp(`(${WS}+)`, 'gu');
  // Chunks are code-point arrays with a read position, so breaking a long word costs O(width).
  const chunks = text
    .split(re)
    .filter(c => c)
    .map(c => ({ cps: codePoints(c), pos: 0 }));
  type Chunk = (typeof chunks)[number];
  const size = (c: Chunk): number => c.cps.length - c.pos;
  // textwrap tests `chunk.strip() == ''`: Python whitespace, wider than its split pattern.
  const isWs = (c: Chunk): boolean => {
    for (let i = c.pos; i < c.cps.length; i++) if (!isPySpace(c.cps[i])) return false;
    return true;
  };
  const take = (c: Chunk, n: number): string => {
    const out = c.cps.slice(c.pos, c.pos + n).join('');
    c.pos += n;
    return out;
  };
  const lines: string[] = [];
  chunks.reverse();
  while (chunks.length) {
    const cur: string[] = [];
    let curLen = 0;
    // textwrap keeps the paragraph's leading whitespace; later lines drop theirs.
    if (lines.length && isWs(chunks[chunks.length - 1])) chunks.pop();
    while (chunks.length) {
      const top = chunks[chunks.length - 1];
      const l = size(top);
      if (curLen + l <= width) {
        cur.push(take(top, l));
        chunks.pop();
        curLen += l;
      } else break;
    }
    if (chunks.length && size(chunks[chunks.length - 1]) > width) {
      const spaceLeft = width < 1 ? 1 : width - curLen;
      const chunk = chunks[chunks.length - 1];
      if (breakLong) {
        let end = spaceLeft;
        if (breakHyphens && size(chunk) > spaceLeft) {
          const head = chunk.cps.slice(chunk.pos, chunk.pos + spaceLeft);
          const hy = head.lastIndexOf('-');
          if (hy > 0 && head.slice(0, hy).some(c => c !== '-')) end = hy + 1;
        }
        cur.push(take(chunk, end));
      } else if (!cur.length) {
        cur.push(take(chunk, size(chunk)));
        chunks.pop();
      }
    }
    while (cur.length && cur[cur.length - 1] !== '' && codePoints(cur[cur.length - 1]).every(isPySpace)) cur.pop();
    if (cur.length) lines.push(cur.join(''));
  }
  return lines;
}

/** jinja2.utils.urlize, ported rule by rule (fixed patterns only; no template text in a RegExp). */
/** `text` is already escaped (markupsafe.escape of the filter's value). */
function urlize(text: string, limit: number | null, rel: string | null, target: string | null, schemes: string[] | null): string {
  const trim = (x: string): string => (limit !== null && strLen(x) > limit ? `${codePoints(x).slice(0, limit).join('')}...` : x);
  const relAttr = rel ? ` rel="${escapeText(rel)}"` : '';
  const targetAttr = target ? ` target="${escapeText(target)}"` : '';
  const words = text.split(/(\s+)/u);
  const httpRe =
    /^((https?:\/\/|www\.)(([\p{L}\p{N}_%-]+\.)+)?([a-z]{2,63}|xn--[\p{L}\p{N}_%]{2,59})|([\p{L}\p{N}_%-]{2,63}\.)+(com|net|int|edu|gov|org|info|mil)|(https?:\/\/)((\d{1,3})(\.\d{1,3}){3}|\[([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}\]))(?::\d{1,5})?(?:[/?#]\S*)?$/iu;
  const emailRe = /^\S+@[\p{L}\p{N}_][\p{L}\p{N}_.-]*\.[\p{L}\p{N}_]+$/u;
  return words
    .map((word, i) => {
      // The URL patterns backtrack quadratically (in Python too); no URL is this long.
      if (i % 2 === 1 || word.length > 4000) return word;
      let head = '';
      let middle = word;
      let tail = '';
      const lead = /^([(<]|&lt;)+/.exec(middle);
      if (lead) {
        head = lead[0];
        middle = middle.slice(lead[0].length);
      }
      if ([')', '>', '.', ',', '\n', '&gt;'].some(e => middle.endsWith(e))) {
        const m = /([)>.,\n]|&gt;)+$/.exec(middle);
        if (m) {
          tail = m[0];
          middle = middle.slice(0, m.index);
        }
      }
      for (const [sc, ec] of [
        ['(', ')'],
        ['<', '>'],
        ['&lt;', '&gt;'],
      ]) {
        const startCount = splitSep(middle, sc).length - 1;
        if (startCount <= splitSep(middle, ec).length - 1) continue;
        for (let k = 0; k < Math.min(startCount, splitSep(tail, ec).length - 1); k++) {
          const endIndex = tail.indexOf(ec) + ec.length;
          middle += tail.slice(0, endIndex);
          tail = tail.slice(endIndex);
        }
      }
      if (httpRe.test(middle)) {
        if (middle.startsWith('https://') || middle.startsWith('http://')) middle = `<a href="${middle}"${relAttr}${targetAttr}>${trim(middle)}</a>`;
        else middle = `<a href="https://${middle}"${relAttr}${targetAttr}>${trim(middle)}</a>`;
      } else if (middle.startsWith('mailto:') && emailRe.test(middle.slice(7))) {
        middle = `<a href="${middle}">${middle.slice(7)}</a>`;
      } else if (middle.includes('@') && !middle.startsWith('www.') && !middle.includes(':') && emailRe.test(middle)) {
        middle = `<a href="mailto:${middle}">${middle}</a>`;
      } else if (schemes) {
        for (const sc of schemes) if (middle !== sc && middle.startsWith(sc)) middle = `<a href="${middle}"${relAttr}${targetAttr}>${middle}</a>`;
      }
      return head + middle + tail;
    })
    .join('');
}

/** pprint's _pprint_str: a long string becomes adjacent literals split after whitespace. */
function pformatStr(text: string, indentIn: number, allowanceIn: number, level: number): string {
  let indent = indentIn;
  let allowance = allowanceIn;
  if (level === 1) {
    indent += 1;
    allowance += 1;
  }
  const maxWidth = 80 - indent;
  let maxWidth1 = maxWidth;
  const lines = splitLinesKeep(text);
  const chunks: string[] = [];
  lines.forEach((line, i) => {
    const rep = pyStrRepr(line);
    if (i === lines.length - 1) maxWidth1 -= allowance;
    if (strLen(rep) <= maxWidth1) {
      chunks.push(rep);
      return;
    }
    // re.findall(r'\S*\s*', line) without the trailing empty match
    const parts: string[] = [];
    const cps = codePoints(line);
    for (let j = 0; j < cps.length;) {
      let k = j;
      while (k < cps.length && !isPySpace(cps[k])) k++;
      while (k < cps.length && isPySpace(cps[k])) k++;
      parts.push(cps.slice(j, k).join(''));
      j = k;
    }
    let maxWidth2 = maxWidth;
    let current = '';
    parts.forEach((part, j) => {
      const candidate = current + part;
      if (j === parts.length - 1 && i === lines.length - 1) maxWidth2 -= allowance;
      if (strLen(pyStrRepr(candidate)) > maxWidth2) {
        if (current) chunks.push(pyStrRepr(current));
        current = part;
      } else current = candidate;
    });
    if (current) chunks.push(pyStrRepr(current));
  });
  if (chunks.length === 1) return chunks[0];
  const body = chunks.join('\n' + ' '.repeat(indent));
  return level === 1 ? `(${body})` : body;
}

function splitLinesKeep(s: string): string[] {
  const out: string[] = [];
  let line = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    line += c;
    if (LINE_BREAKS.has(c)) {
      if (c === '\r' && s[i + 1] === '\n') line += s[++i];
      out.push(line);
      line = '';
    }
  }
  if (line) out.push(line);
  return out;
}

/** pprint.pformat(value): width 80, dicts sorted by key, long containers one item per line. */
export function pformat(v: PyValue, ctx: EvalHooks): string {
  const sortedRepr = (x: PyValue, depth = 0): string => {
    if (depth > 990) throw new JinjaError('RuntimeError', 'maximum recursion depth exceeded while getting the repr of an object', ctx.span);
    ctx.budget.step();
    const r = (y: PyValue): string => sortedRepr(y, depth + 1);
    if (x instanceof PyDict) {
      const entries = sortedEntries(x);
      return `{${entries.map(([k, val]) => `${r(k)}: ${r(val)}`).join(', ')}}`;
    }
    if (Array.isArray(x)) return `[${x.map(r).join(', ')}]`;
    if (x instanceof PyTuple) return x.items.length === 1 ? `(${r(x.items[0])},)` : `(${x.items.map(r).join(', ')})`;
    return repr(x, ctx.budget);
  };
  const sortedEntries = (d: PyDict): [PyValue, PyValue][] => {
    try {
      return d
        .entries()
        .slice()
        .sort(([a], [b]) => order(a, b) || 0);
    } catch {
      return d.entries();
    }
  };
  const fmt = (x: PyValue, indent: number, allowance: number, level = 1): string => {
    const rep = sortedRepr(x);
    if (strLen(rep) <= 80 - indent - allowance) return rep;
    if (typeof x === 'string' || x instanceof Markup) return pformatStr(strText(x), indent, allowance, level);
    if (x instanceof PyDict && x.size) {
      const entries = sortedEntries(x);
      const parts = entries.map(([k, val], i) => {
        const kr = sortedRepr(k);
        return `${kr}: ${fmt(val, indent + 1 + kr.length + 2, i === entries.length - 1 ? allowance + 1 : 1, level + 1)}`;
      });
      return `{${parts.join(',\n' + ' '.repeat(indent + 1))}}`;
    }
    if ((Array.isArray(x) && x.length) || (x instanceof PyTuple && x.items.length)) {
      const items = Array.isArray(x) ? x : (x as PyTuple).items;
      const open = Array.isArray(x) ? '[' : '(';
      const close = Array.isArray(x) ? ']' : items.length === 1 ? ',)' : ')';
      const parts = items.map((it, i) => fmt(it, indent + 1, i === items.length - 1 ? allowance + close.length : 1, level + 1));
      return `${open}${parts.join(',\n' + ' '.repeat(indent + 1))}${close}`;
    }
    return rep;
  };
  return fmt(v, 0, 0);
}
