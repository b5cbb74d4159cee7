/** Hostile templates must end with a clear SecurityError, never hang or exhaust memory. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FILTERS, createGlobals, getMethod, percentFormat, strFormat } from '../../../core/src/jinja/runtime/index.ts';
import { binop, getattr, getitem, repr } from '../../../core/src/jinja/runtime/pyops.ts';
import { PyCallable, PyDict, PyTuple, type PyValue, Undefined } from '../../../core/src/jinja/runtime/values.ts';
import { args, makeCtx, outcome } from './helpers.ts';

const BIG = 1_000_000_000;

test('large allocations are refused before they are built', () => {
  const ctx = makeCtx();
  const f = (name: string, value: PyValue, ...a: PyValue[]): string => outcome(() => repr(FILTERS.get(name)!(ctx, value, args(a))));
  const attempts: [string, () => string][] = [
    ['str * n', () => outcome(() => repr(binop(ctx, '*', 'ab', BIG)))],
    ['list * n', () => outcome(() => repr(binop(ctx, '*', [1], BIG)))],
    ['tuple * n', () => outcome(() => repr(binop(ctx, '*', new PyTuple([1]), BIG)))],
    ['center', () => f('center', 'x', BIG)],
    ['indent', () => f('indent', 'a\nb', BIG)],
    ['batch fill', () => f('batch', [1], BIG, 0)],
    ['slice count', () => f('slice', [1], BIG)],
    ['format width', () => outcome(() => String(strFormat(ctx, `{:>${BIG}}`, [1], new Map())))],
    ['percent width', () => outcome(() => String(percentFormat(ctx, `%${BIG}d`, 1)))],
    ['percent precision', () => outcome(() => String(percentFormat(ctx, `%.${BIG}f`, 1)))],
    ['str.ljust', () => outcome(() => repr((getMethod('x', 'ljust') as PyCallable).call(args([BIG]), ctx)))],
    ['str.zfill', () => outcome(() => repr((getMethod('x', 'zfill') as PyCallable).call(args([BIG]), ctx)))],
    ['range', () => outcome(() => repr((createGlobals().get('range') as PyCallable).call(args([BIG]), ctx)))],
    ['lipsum', () => outcome(() => repr((createGlobals().get('lipsum') as PyCallable).call(args([BIG]), ctx)))],
  ];
  for (const [what, run] of attempts) assert.match(run(), /^ERR SecurityError: /, what);
});

test('doubling a string hits the cap, not the heap', () => {
  const ctx = makeCtx(false, { maxStringChars: 1_000_000 });
  let s: PyValue = 'x'.repeat(1000);
  const run = (): void => {
    for (let i = 0; i < 40; i++) s = binop(ctx, '+', s, s);
  };
  assert.throws(run, /string too large/);
  const rep = getMethod('abc', 'replace') as PyCallable;
  assert.match(
    outcome(() => repr(rep.call(args(['', 'y'.repeat(500_000)]), ctx))),
    /^ERR SecurityError/,
  );
});

test('deep nesting raises a Python-style error instead of overflowing the JS stack', () => {
  const ctx = makeCtx();
  let v: PyValue = [];
  for (let i = 0; i < 100_000; i++) v = [v];
  assert.match(
    outcome(() => repr(v)),
    /maximum recursion depth exceeded/,
  );
  assert.match(
    outcome(() => repr(FILTERS.get('tojson')!(ctx, v, args()))),
    /maximum recursion depth exceeded/,
  );
  assert.match(
    outcome(() => repr(FILTERS.get('pprint')!(ctx, v, args()))),
    /maximum recursion depth exceeded/,
  );
});

test('no path from a template to JS prototypes, constructors or functions', () => {
  const ctx = makeCtx();
  const d = new PyDict([['a', 1]]);
  for (const obj of [d, 'x', [1], 1, null, true, new PyTuple([])] as PyValue[]) {
    for (const name of ['__proto__', 'constructor', 'prototype', '__class__', '__globals__', 'toString', 'call', 'apply', 'bind']) {
      assert.ok(getattr(ctx, obj, name) instanceof Undefined, `${repr(obj)}.${name}`);
      assert.ok(getitem(ctx, obj, name) instanceof Undefined, `${repr(obj)}[${name}]`);
    }
  }
  for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
    assert.equal(FILTERS.get(name), undefined);
    assert.equal(createGlobals().get(name), undefined);
  }
  // The attribute filter cannot reach around the allow-list either.
  assert.ok(FILTERS.get('attr')!(ctx, 'x', args(['constructor'])) instanceof Undefined);
  // A dict key named like a prototype member is just data.
  const evil = new PyDict([['__proto__', 1]]);
  assert.equal(getitem(ctx, evil, '__proto__'), 1);
  assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
});

test('hostile regex-like input is treated as text', () => {
  const ctx = makeCtx();
  const rep = getMethod('a.b*c', 'replace') as PyCallable;
  assert.equal(rep.call(args(['.', '$&']), ctx), 'a$&b*c');
  assert.equal(FILTERS.get('replace')!(ctx, '(a+)+$', args(['(a+)+', 'x'])), 'x$');
  const long = 'www.' + 'a.'.repeat(50_000) + '!';
  const started = Date.now();
  FILTERS.get('urlize')!(ctx, long, args());
  assert.ok(Date.now() - started < 2000);
});
