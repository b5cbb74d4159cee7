import { test } from 'node:test';
import assert from 'node:assert/strict';
import { dumps, fromJs, JsonSyntaxError, parseArguments, repr, toJs } from '../../../core/src/jinja/runtime/index.ts';
import { PyFloat } from '../../../core/src/jinja/runtime/values.ts';

test('parseArguments keeps floats as floats (what json.loads gives Jinja2)', () => {
  const cases: [string, string][] = [
    ['{"v": 3.0, "w": 1e2, "n": 3, "neg": -0.5, "z": 0}', "{'v': 3.0, 'w': 100.0, 'n': 3, 'neg': -0.5, 'z': 0}"],
    ['[true, false, null, "a\\u00e9\\n", []]', "[True, False, None, 'aé\\n', []]"],
    ['"\\ud83d\\ude00"', "'😀'"],
    [' {"a": {"b": [1, 2.5]}} ', "{'a': {'b': [1, 2.5]}}"],
    // Python's json.loads keeps big integers exact, and so do we (PyBigInt).
    ['9007199254740993', '9007199254740993'],
    ['[123456789012345678901, -98765432109876543210]', '[123456789012345678901, -98765432109876543210]'],
    ['[NaN, Infinity, -Infinity]', '[nan, inf, -inf]'],
  ];
  for (const [text, want] of cases) assert.equal(repr(parseArguments(text)), want, text);
});

test('parseArguments errors carry the offset', () => {
  for (const [text, re] of [
    ['{"a": }', /offset 6/],
    ['[1, 2', /offset 5/],
    ['{"a" 1}', /expected ':' at offset 5/],
    ['"abc', /unterminated string at offset 0/],
    ['[1] x', /extra data/],
    ['', /unexpected end of input at offset 0/],
  ] as const) {
    assert.throws(
      () => parseArguments(text),
      (e: unknown) => e instanceof JsonSyntaxError && re.test(e.message),
      text,
    );
  }
  assert.throws(() => parseArguments('['.repeat(10000)), /too deeply/);
});

test('fromJs / toJs round trip', () => {
  const v = fromJs({ a: [1, 2.5, 'x', null, true], b: { c: 0 } });
  assert.equal(repr(v), "{'a': [1, 2.5, 'x', None, True], 'b': {'c': 0}}");
  assert.equal(JSON.stringify(toJs(v)), JSON.stringify({ a: [1, 2.5, 'x', null, true], b: { c: 0 } }));
  assert.equal(Object.getPrototypeOf(toJs(v)), null);
  assert.ok(fromJs(1.5) instanceof PyFloat);
});

test('dumps is json.dumps(sort_keys=True)', () => {
  assert.equal(dumps(parseArguments('{"b": [1, 2.0], "a": "é"}'), { sortKeys: true }), '{"a": "\\u00e9", "b": [1, 2.0]}');
  assert.equal(dumps(parseArguments('{"b": [1], "a": {}}'), { sortKeys: true, indent: 2 }), '{\n  "a": {},\n  "b": [\n    1\n  ]\n}');
  const cyclic: unknown[] = [];
  const list = fromJs([]) as unknown[];
  list.push(list);
  void cyclic;
  assert.throws(() => dumps(list as never), /Circular reference detected/);
});
