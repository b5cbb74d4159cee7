import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DictView, getMethod, htmlUnescape, repr } from '../../../core/src/jinja/runtime/index.ts';
import { Markup, PyCallable, PyTuple, type PyValue, Undefined } from '../../../core/src/jinja/runtime/values.ts';
import { getattr } from '../../../core/src/jinja/runtime/pyops.ts';
import { fixture, makeCtx, outcome, py } from './helpers.ts';

for (const [title, file] of [
  ['str/list/dict methods: hand-picked cases', 'methods.json'],
  ['str methods: 800 randomized cases', 'methods_random.json'],
  ['str.format fields and specs', 'format_fields.json'],
])
  test(`${title} from CPython (result | receiver after the call)`, () => {
    const rows = fixture<[string, string, string, string, string][]>(file);
    const failures: string[] = [];
    for (const [recvJson, name, argsJson, kwJson, want] of rows) {
      const ctx = makeCtx();
      const recv = py(recvJson);
      let positional = py(argsJson) as PyValue[];
      if (name === 'startswith' || name === 'endswith') positional = positional.map(a => (Array.isArray(a) ? new PyTuple(a) : a));
      const kwargs = new Map(Object.entries(JSON.parse(kwJson) as Record<string, unknown>).map(([k, v]) => [k, py(JSON.stringify(v))]));
      const got = outcome(() => {
        const m = getMethod(recv, name);
        assert.ok(m instanceof PyCallable, `${name} exists`);
        let res = m.call({ args: positional, kwargs }, ctx);
        if (res instanceof DictView) res = res.iterate!();
        return `${repr(res)} | ${repr(recv)}`;
      });
      if (got !== want) failures.push(`${recvJson}.${name}(*${argsJson}, **${kwJson}): want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
    }
    assert.deepEqual(failures, []);
  });

test('Markup methods escape str arguments and keep Markup (markupsafe)', () => {
  const ctx = makeCtx(true);
  const call = (recv: PyValue, name: string, ...a: PyValue[]): PyValue => (getMethod(recv, name) as PyCallable).call({ args: a, kwargs: new Map() }, ctx);
  const m = new Markup('a&lt;b');
  assert.equal(repr(call(m, 'replace', '<', '>')), "Markup('a&gt;b')");
  assert.equal(repr(call(new Markup('a<b'), 'replace', '<', '>')), "Markup('a<b')");
  assert.equal(repr(call(m, 'upper')), "Markup('A&LT;B')");
  assert.equal(repr(call(new Markup(', '), 'join', ['<', new Markup('<b>')])), "Markup('&lt;, <b>')");
  assert.equal(repr(call(new Markup('a b'), 'split')), "[Markup('a'), Markup('b')]");
  assert.equal(repr(call(new Markup('a&lt;b'), 'partition', '<')), "(Markup('a'), Markup('&lt;'), Markup('b'))");
  assert.equal(repr(call(new Markup('x'), 'find', 'x')), '0');
  assert.equal(repr(call(new Markup('<b>x</b>  y &amp; <!-- c --> z'), 'striptags')), "'x y & z'");
  assert.equal(repr(call(new Markup('&lt;&#39;&#x41;&raquo;&bogus;'), 'unescape')), `"<'A»&bogus;"`);
});

test('no JS prototype member is reachable', () => {
  const ctx = makeCtx();
  for (const obj of ['abc', [1], new PyTuple([1]), py('{"a": 1}'), new Markup('x'), 1, null]) {
    for (const name of ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', '__class__', 'prototype', 'length', 'map', 'charAt']) {
      assert.equal(getMethod(obj, name), undefined, `${repr(obj)}.${name}`);
      assert.ok(getattr(ctx, obj, name) instanceof Undefined, `${repr(obj)}.${name}`);
    }
  }
});

test('html.unescape (Markup.unescape, striptags): 400 random entity mixes from CPython', () => {
  const rows = fixture<[string, string][]>('unescape.json');
  const failures = rows
    .filter(([s, want]) => htmlUnescape(s) !== want)
    .map(([s, want]) => `${JSON.stringify(s)}: want ${JSON.stringify(want)} got ${JSON.stringify(htmlUnescape(s))}`);
  assert.deepEqual(failures, []);
});
