import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createGlobals, repr } from '../../../core/src/jinja/runtime/index.ts';
import { getattr } from '../../../core/src/jinja/runtime/pyops.ts';
import { Markup, Namespace, PyCallable, PyObject, type PyValue } from '../../../core/src/jinja/runtime/values.ts';
import { args, makeCtx, outcome, py } from './helpers.ts';

const call = (fn: PyValue, ...a: PyValue[]): PyValue => (fn as PyCallable).call(args(a), makeCtx());

test('globals are the Jinja2 defaults, fresh per render', () => {
  const g = createGlobals();
  assert.deepEqual([...g.keys()].sort(), ['cycler', 'dict', 'joiner', 'lipsum', 'namespace', 'range']);
  assert.notEqual(createGlobals().get('range'), g.get('range'));
});

test('range: Python semantics and the budget cap', () => {
  const ctx = makeCtx();
  const range = createGlobals().get('range') as PyCallable;
  const r = (...a: PyValue[]): string => outcome(() => repr(range.call(args(a), ctx)));
  assert.equal(r(3), 'range(0, 3)');
  assert.equal(r(0, 10, 2), 'range(0, 10, 2)');
  assert.equal(r(), 'ERR TypeError: range expected at least 1 argument, got 0');
  assert.equal(r(1, 2, 3, 4), 'ERR TypeError: range expected at most 3 arguments, got 4');
  assert.equal(r(1, 2, 0), 'ERR ValueError: range() arg 3 must not be zero');
  assert.equal(r(py('1.5')), "ERR TypeError: 'float' object cannot be interpreted as an integer");
  assert.match(r(10_000_000), /^ERR SecurityError: range too big/);
});

test('dict, namespace, cycler, joiner', () => {
  const ctx = makeCtx();
  const g = createGlobals();
  assert.equal(repr(call(g.get('dict')!, py('[["a", 1]]'))), "{'a': 1}");
  assert.equal(repr((g.get('dict') as PyCallable).call(args([], { b: 2 }), ctx)), "{'b': 2}");
  const ns = (g.get('namespace') as PyCallable).call(args([py('{"a": 2}')], { b: 3 }), ctx) as Namespace;
  assert.equal(repr(ns), "<Namespace {'a': 2, 'b': 3}>");
  const c = call(g.get('cycler')!, 'a', 'b') as PyObject;
  const next = getattr(ctx, c, 'next');
  assert.equal([call(next), call(next), repr(getattr(ctx, c, 'current')), call(next)].join(''), "ab'a'a");
  assert.equal(getattr(ctx, c, 'pos'), 1);
  assert.equal(repr(getattr(ctx, c, 'items')), "('a', 'b')");
  call(getattr(ctx, c, 'reset'));
  assert.equal(getattr(ctx, c, 'current'), 'a');
  assert.equal(
    outcome(() => repr(call(g.get('cycler')!))),
    'ERR RuntimeError: at least one item has to be provided',
  );
  const j = call(g.get('joiner')!, '|');
  assert.equal([call(j), call(j), call(j)].join(''), '||');
});

test('lipsum is deterministic and shaped like Jinja2 output', () => {
  const g1 = createGlobals().get('lipsum')!;
  const a = call(g1, 2) as Markup;
  const b = call(createGlobals().get('lipsum')!, 2) as Markup;
  assert.ok(a instanceof Markup);
  assert.equal(a.text, b.text);
  assert.match(a.text, /^<p>[A-Z][A-Za-z, .]+\.<\/p>\n<p>[A-Z][A-Za-z, .]+\.<\/p>$/);
  const plain = call(g1, 1, false, 5, 6) as string;
  assert.equal(typeof plain, 'string');
  assert.equal(plain.split(' ').length, 5);
});
