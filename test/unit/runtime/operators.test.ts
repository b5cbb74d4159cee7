import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  binop,
  compare,
  concat,
  contains,
  eq,
  escape,
  getattr,
  getitem,
  iterate,
  length,
  repr,
  slice,
  str,
  truthy,
  unary,
  type BinOp,
  type CompareOp,
} from '../../../core/src/jinja/runtime/pyops.ts';
import { Markup, Namespace, PyDict, PyFloat, PyRange, PyTuple, type PyValue, Undefined } from '../../../core/src/jinja/runtime/values.ts';
import { fixture, makeCtx, outcome, py } from './helpers.ts';

/** CPython gives complex numbers here; we raise (no complex type in templates). */
const COMPLEX = /^ERR TypeError: complex numbers/;

test('arithmetic and comparison: 3800 operand pairs from CPython', () => {
  const rows = fixture<[string, string, string, string][]>('operators.json');
  const failures: string[] = [];
  for (const [op, aj, bj, want] of rows) {
    const ctx = makeCtx();
    const a = py(aj);
    const b = py(bj);
    const got = outcome(() => {
      if (op === '==') return eq(a, b) ? 'True' : 'False';
      if (op === '!=') return eq(a, b) ? 'False' : 'True';
      if (op === 'in') return contains(b, a) ? 'True' : 'False';
      if (['<', '<=', '>', '>='].includes(op)) return compare(op as CompareOp, a, b) ? 'True' : 'False';
      return repr(binop(ctx, op as BinOp, a, b));
    });
    if (got !== want && !(COMPLEX.test(got) && want.includes('j)')))
      failures.push(`${aj} ${op} ${bj}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
  }
  assert.deepEqual(failures, []);
});

test('Undefined: printing, iteration, length and truthiness are fine; arithmetic and lookups raise', () => {
  const ctx = makeCtx();
  const u = new Undefined('x', "'x' is undefined");
  assert.equal(str(u), '');
  assert.deepEqual(iterate(u), []);
  assert.equal(length(u), 0);
  assert.equal(truthy(u), false);
  assert.equal(eq(u, new Undefined('y', '')), true);
  assert.equal(contains(u, 1), false);
  for (const f of [
    () => binop(ctx, '+', u, 1),
    () => binop(ctx, '+', 1, u),
    () => unary('-', u),
    () => getattr(ctx, u, 'a'),
    () => getitem(ctx, u, 0),
    () => compare('<', u, 1),
  ]) {
    assert.equal(
      outcome(() => repr(f())),
      "ERR UndefinedError: 'x' is undefined",
    );
  }
  assert.equal(binop(ctx, '%', '%s!', u), '!');
});

test('lookup order and Undefined hints (Environment.getattr / getitem)', () => {
  const ctx = makeCtx();
  const d = py('{"items": 5, "a": 1}') as PyDict;
  assert.equal(repr(getattr(ctx, d, 'items')).startsWith('<'), true);
  assert.equal(getitem(ctx, d, 'items'), 5);
  assert.equal(getattr(ctx, d, 'a'), 1);
  const hint = (v: PyValue): string => (v instanceof Undefined ? v.hint : `not undefined: ${repr(v)}`);
  assert.equal(hint(getattr(ctx, d, 'zz')), "'dict object' has no attribute 'zz'");
  assert.equal(hint(getitem(ctx, d, 'zz')), "'dict object' has no attribute 'zz'");
  assert.equal(hint(getitem(ctx, [1], 5)), 'list object has no element 5');
  assert.equal(hint(getitem(ctx, 'abc', new PyFloat(1))), 'str object has no element 1.0');
  assert.equal(hint(getattr(ctx, null, 'y')), "'None' has no attribute 'y'");
  assert.equal(hint(getattr(ctx, new Markup('x'), 'nope')), "'markupsafe.Markup object' has no attribute 'nope'");
  assert.equal(hint(getitem(ctx, d, [1])), 'dict object has no element [1]');
  const ns = new Namespace();
  ns.attrs.set('a', 1);
  assert.equal(getattr(ctx, ns, 'a'), 1);
  assert.equal(getitem(ctx, ns, 'a'), 1);
  assert.equal(hint(getattr(ctx, ns, 'b')), "'jinja2.utils.Namespace object' has no attribute 'b'");
  assert.equal(getitem(ctx, [1, 2, 3], -1), 3);
  assert.equal(getitem(ctx, 'h😀x', 1), '😀');
  assert.equal(getitem(ctx, new PyRange(0, 10, 2), -1), 8);
  assert.equal(getitem(ctx, new PyTuple([1, 2]), true), 2);
});

test('slices: Python clamping, negative steps, types preserved, errors raised like a plain subscript', () => {
  const ctx = makeCtx();
  const cases: [PyValue, PyValue[], string][] = [
    ['abcdef', [null, null, 2], "'ace'"],
    ['abc', [null, null, -1], "'cba'"],
    ['😀ab', [1, null, null], "'ab'"],
    ['abc', [5, null, null], "''"],
    [[1, 2, 3, 4, 5], [4, 1, -2], '[5, 3]'],
    [[1, 2, 3], [10, null, null], '[]'],
    [[1, 2, 3], [-2, null, null], '[2, 3]'],
    [new PyTuple([1, 2, 3]), [null, null, -1], '(3, 2, 1)'],
    [new PyRange(0, 10, 1), [null, null, -3], 'range(9, -1, -3)'],
    [new PyRange(0, 10, 1), [20, null, null], 'range(10, 10)'],
    [new PyRange(0, 10, 1), [2, 5, null], 'range(2, 5)'],
    [new Markup('<b>'), [1, null, null], "Markup('b>')"],
    [[1, 2], [new PyFloat(1.5), null, null], 'ERR TypeError: slice indices must be integers or None or have an __index__ method'],
    [[1, 2], [null, null, 0], 'ERR ValueError: slice step cannot be zero'],
    [new PyDict(), [1, 2, null], "ERR TypeError: unhashable type: 'slice'"],
    [5, [1, 2, null], "ERR TypeError: 'int' object is not subscriptable"],
  ];
  for (const [obj, [a, b, c], want] of cases)
    assert.equal(
      outcome(() => repr(slice(ctx, obj, a, b, c))),
      want,
      `${repr(obj)}[${a}:${b}:${c}]`,
    );
});

test('concat (~) and escape follow str_join / markup_join', () => {
  const plain = makeCtx(false);
  const auto = makeCtx(true);
  assert.equal(concat(plain, ['a', 1, null, true, [1], new PyFloat(2), new Undefined('x', '')]), 'a1NoneTrue[1]2.0');
  assert.equal(concat(plain, [new Markup('<'), '<']), '<<');
  assert.equal(repr(concat(auto, [new Markup('<'), '<'])), "Markup('<&lt;')");
  assert.equal(concat(auto, ['<', '>']), '<>');
  assert.equal(escape('<a href="x">\'&').text, '&lt;a href=&#34;x&#34;&gt;&#39;&amp;');
  assert.equal(escape(new Markup('<b>')).text, '<b>');
  assert.equal(escape(null).text, 'None');
  assert.equal(repr(binop(auto, '+', new Markup('<'), '<')), "Markup('<&lt;')");
  assert.equal(repr(binop(auto, '+', '<', new Markup('<'))), "Markup('&lt;<')");
  assert.equal(repr(binop(auto, '*', new Markup('<'), 2)), "Markup('<<')");
  assert.equal(repr(binop(auto, '%', new Markup('%s'), '<')), "Markup('&lt;')");
  assert.equal(
    outcome(() => repr(binop(auto, '+', new Markup('<'), 1))),
    "ERR TypeError: unsupported operand type(s) for +: 'Markup' and 'int'",
  );
});

test('repr of every value kind', () => {
  const cases: [PyValue, string][] = [
    [null, 'None'],
    [true, 'True'],
    [1, '1'],
    [new PyFloat(2), '2.0'],
    [new PyFloat(1e16), '1e+16'],
    [new PyFloat(Infinity), 'inf'],
    ["it's", `"it's"`],
    ['a"b\'c', `'a"b\\'c'`],
    ['\x7f\u00e9\u2028😀\t', "'\\x7fé\\u2028😀\\t'"],
    [new Markup('x'), "Markup('x')"],
    [new PyRange(0, 3, 1), 'range(0, 3)'],
    [new PyRange(0, 10, 2), 'range(0, 10, 2)'],
    [new PyTuple([1]), '(1,)'],
    [new PyTuple([]), '()'],
    [py('{"a": [1, {"b": null}]}'), "{'a': [1, {'b': None}]}"],
    [new Undefined('x', ''), 'Undefined'],
  ];
  for (const [v, want] of cases) assert.equal(repr(v), want);
  const ns = new Namespace();
  ns.attrs.set('a', 1);
  assert.equal(repr(ns), "<Namespace {'a': 1}>");
  const cyclic: PyValue[] = [1];
  cyclic.push(cyclic);
  assert.equal(repr(cyclic), '[1, [...]]');
  const d = new PyDict([
    [1, 'a'],
    [new PyFloat(1), 'b'],
    [true, 'c'],
  ]);
  assert.equal(repr(d), "{1: 'c'}");
});
