/**
 * Jinja2's default globals: range, dict, lipsum, cycler, joiner, namespace.
 * `lipsum` is deterministic (a fixed pseudo-random sequence) so previews are stable; Jinja's
 * output is random, so only its shape (paragraph count, word bounds, punctuation) matches.
 */
import { bindArgs, opt } from './args.js';
import { JinjaError } from './errors.js';
import { codePoints, dictKey, escapeText, isIntLike, isStr, iterate, strText, typeName } from './pyops.js';
import { pyCapitalize } from './methods.js';
import { type CallArgs, type CallContext, Markup, Namespace, PyCallable, PyDict, PyObject, PyRange, PyTuple, type PyValue } from './values.js';

const builtin = (name: string, call: (args: CallArgs, ctx: CallContext) => PyValue, typeNameText = 'builtin_function_or_method'): PyCallable =>
  new PyCallable(typeNameText, name, call);

function rangeArg(v: PyValue, ctx: CallContext): number {
  if (isIntLike(v)) return Number(v);
  throw new JinjaError('TypeError', `'${typeName(v)}' object cannot be interpreted as an integer`, ctx.span);
}

function pyRange(args: CallArgs, ctx: CallContext): PyValue {
  if (args.kwargs.size) throw new JinjaError('TypeError', 'range() takes no keyword arguments', ctx.span);
  const n = args.args.length;
  if (n === 0) throw new JinjaError('TypeError', 'range expected at least 1 argument, got 0', ctx.span);
  if (n > 3) throw new JinjaError('TypeError', `range expected at most 3 arguments, got ${n}`, ctx.span);
  const nums = args.args.map(a => rangeArg(a, ctx));
  const [start, stop, step] = n === 1 ? [0, nums[0], 1] : [nums[0], nums[1], nums[2] ?? 1];
  if (step === 0) throw new JinjaError('ValueError', 'range() arg 3 must not be zero', ctx.span);
  const r = new PyRange(start, stop, step);
  ctx.budget.checkRangeSize(r.length);
  return r;
}

/** dict(mapping_or_pairs, **kw) -> entries, as Python's dict() and Namespace() accept. */
function dictFrom(args: CallArgs, ctx: CallContext, fname: string): PyDict {
  if (args.args.length > 1) throw new JinjaError('TypeError', `${fname} expected at most 1 argument, got ${args.args.length}`, ctx.span);
  const d = new PyDict();
  if (args.args.length === 1) {
    const src = args.args[0];
    if (src instanceof PyDict) for (const [k, v] of src.entries()) d.set(k, v);
    else {
      iterate(src, ctx.span).forEach((pair, i) => {
        const kv = pair instanceof PyTuple ? pair.items : Array.isArray(pair) ? pair : isStr(pair) ? codePoints(strText(pair)) : undefined;
        if (!kv) throw new JinjaError('TypeError', `cannot convert dictionary update sequence element #${i} to a sequence`, ctx.span);
        if (kv.length !== 2) throw new JinjaError('ValueError', `dictionary update sequence element #${i} has length ${kv.length}; 2 is required`, ctx.span);
        dictKey(kv[0], ctx.span);
        d.set(kv[0], kv[1]);
      });
    }
  }
  for (const [k, v] of args.kwargs) d.set(k, v);
  ctx.budget.checkListSize(d.size);
  return d;
}

function cycler(args: CallArgs, ctx: CallContext): PyValue {
  if (args.kwargs.size) throw new JinjaError('TypeError', `Cycler.__init__() got an unexpected keyword argument '${[...args.kwargs.keys()][0]}'`, ctx.span);
  const items = args.args.slice();
  if (!items.length) throw new JinjaError('RuntimeError', 'at least one item has to be provided', ctx.span);
  let pos = 0;
  const noArgs = (name: string, f: () => PyValue): PyCallable =>
    builtin(
      name,
      (a, c) => {
        bindArgs({ name: `Cycler.${name}`, params: [] }, a, c.span);
        return f();
      },
      'method',
    );
  const next = noArgs('next', () => {
    const rv = items[pos];
    pos = (pos + 1) % items.length;
    return rv;
  });
  const reset = noArgs('reset', () => {
    pos = 0;
    return null;
  });
  return new PyObject(
    'Cycler',
    name => {
      switch (name) {
        case 'next':
          return next;
        case 'reset':
          return reset;
        case 'current':
          return items[pos];
        case 'items':
          return new PyTuple(items);
        case 'pos':
          return pos;
        default:
          return undefined;
      }
    },
    () => '<jinja2.utils.Cycler object at 0x7f0000000000>',
  );
}

function joiner(args: CallArgs, ctx: CallContext): PyValue {
  const b = bindArgs({ name: 'Joiner.__init__', params: [opt('sep', ', ')] }, args, ctx.span);
  const sep = b.get('sep');
  let used = false;
  return new PyCallable('Joiner', 'joiner', (a, c) => {
    bindArgs({ name: 'Joiner.__call__', params: [] }, a, c.span);
    if (!used) {
      used = true;
      return '';
    }
    return sep;
  });
}

function namespace(args: CallArgs, ctx: CallContext): PyValue {
  const ns = new Namespace();
  for (const [k, v] of dictFrom(args, ctx, 'dict').entries()) {
    if (!isStr(k)) throw new JinjaError('TypeError', 'keywords must be strings', ctx.span);
    ns.attrs.set(strText(k), v);
  }
  return ns;
}

const LOREM_WORDS =
  'a ac accumsan ad adipiscing aenean aliquam aliquet amet ante aptent arcu at auctor augue bibendum blandit class commodo condimentum congue consectetuer consequat conubia convallis cras cubilia cum curabitur curae cursus dapibus diam dictum dictumst dignissim dis dolor donec dui duis egestas eget eleifend elementum elit enim erat eros est et etiam eu euismod facilisi facilisis fames faucibus felis fermentum feugiat fringilla fusce gravida habitant habitasse hac hendrerit hymenaeos iaculis id imperdiet in inceptos integer interdum ipsum justo lacinia lacus laoreet lectus leo libero ligula litora lobortis lorem luctus maecenas magna magnis malesuada massa mattis mauris metus mi molestie mollis montes morbi mus nam nascetur natoque nec neque netus nibh nisi nisl non nonummy nostra nulla nullam nunc odio orci ornare parturient pede pellentesque penatibus per pharetra phasellus placerat platea porta porttitor posuere potenti praesent pretium primis proin pulvinar purus quam quis quisque rhoncus ridiculus risus rutrum sagittis sapien scelerisque sed sem semper senectus sit sociis sociosqu sodales sollicitudin suscipit suspendisse taciti tellus tempor tempus tincidunt torquent tortor tristique turpis ullamcorper ultrices ultricies urna ut varius vehicula vel velit venenatis vestibulum vitae vivamus viverra volutpat vulputate'.split(
    ' ',
  );

/** jinja2.utils.generate_lorem_ipsum with a fixed-seed generator in place of `random`. */
function lipsum(args: CallArgs, ctx: CallContext): PyValue {
  const b = bindArgs({ name: 'generate_lorem_ipsum', params: [opt('n', 5), opt('html', true), opt('min', 20), opt('max', 100)] }, args, ctx.span);
  const n = rangeArg(b.get('n'), ctx);
  const min = rangeArg(b.get('min'), ctx);
  const max = rangeArg(b.get('max'), ctx);
  if (min >= max) throw new JinjaError('ValueError', `empty range for randrange() (${min}, ${max}, ${max - min})`, ctx.span);
  ctx.budget.checkListSize(n * max);
  let seed = 0x2545f491;
  const randrange = (lo: number, hi: number): number => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return lo + ((seed >>> 8) % (hi - lo));
  };
  const result: string[] = [];
  for (let p = 0; p < n; p++) {
    ctx.budget.step();
    let nextCap = true;
    let lastComma = 0;
    let lastStop = 0;
    let last = '';
    const words: string[] = [];
    const count = randrange(min, max);
    for (let idx = 0; idx < count; idx++) {
      let word: string;
      do word = LOREM_WORDS[randrange(0, LOREM_WORDS.length)];
      while (word === last);
      last = word;
      if (nextCap) {
        word = pyCapitalize(word);
        nextCap = false;
      }
      if (idx - randrange(3, 8) > lastComma) {
        lastComma = idx;
        lastStop += 2;
        word += ',';
      }
      if (idx - randrange(10, 20) > lastStop) {
        lastComma = lastStop = idx;
        word += '.';
        nextCap = true;
      }
      words.push(word);
    }
    let text = words.join(' ');
    if (text.endsWith(',')) text = text.slice(0, -1) + '.';
    else if (!text.endsWith('.')) text += '.';
    result.push(text);
  }
  if (b.get('html') === false || b.get('html') === null || b.get('html') === 0) return result.join('\n\n');
  return new Markup(result.map(x => `<p>${escapeText(x)}</p>`).join('\n'));
}

/** Fresh global objects for one render (cyclers and joiners keep state per render). */
export function createGlobals(): Map<string, PyValue> {
  return new Map<string, PyValue>([
    ['range', builtin('range', pyRange, 'type')],
    ['dict', builtin('dict', (a, c) => dictFrom(a, c, 'dict'), 'type')],
    ['lipsum', builtin('generate_lorem_ipsum', lipsum, 'function')],
    ['cycler', builtin('Cycler', cycler, 'type')],
    ['joiner', builtin('Joiner', joiner, 'type')],
    ['namespace', builtin('Namespace', namespace, 'type')],
  ]);
}
