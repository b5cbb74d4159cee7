import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FILTERS, parseFloatPy, parseIntPy } from '../../../core/src/jinja/runtime/index.ts';
import { Markup, type PyValue } from '../../../core/src/jinja/runtime/values.ts';
import { fixture, makeCtx, outcome, py, show } from './helpers.ts';

/**
 * Rows where we knowingly differ, with the reason. Everything else must match CPython
 * byte for byte.
 */
const KNOWN: Record<string, string> = {
  // Python raises AssertionError, which is not one of our error types.
  'truncate "hello" [1]': 'ERR RuntimeError: AssertionError: expected length >= 3, got 1',
};

const JINJA_FILTERS = [
  'abs',
  'attr',
  'batch',
  'capitalize',
  'center',
  'count',
  'd',
  'default',
  'dictsort',
  'e',
  'escape',
  'filesizeformat',
  'first',
  'float',
  'forceescape',
  'format',
  'groupby',
  'indent',
  'int',
  'items',
  'join',
  'last',
  'length',
  'list',
  'lower',
  'map',
  'max',
  'min',
  'pprint',
  'random',
  'reject',
  'rejectattr',
  'replace',
  'reverse',
  'round',
  'safe',
  'select',
  'selectattr',
  'slice',
  'sort',
  'string',
  'striptags',
  'sum',
  'title',
  'tojson',
  'trim',
  'truncate',
  'unique',
  'upper',
  'urlencode',
  'urlize',
  'wordcount',
  'wordwrap',
  'xmlattr',
];

test('the registry holds exactly the Jinja2 3.1 builtin filters', () => {
  assert.deepEqual([...FILTERS.keys()].sort(), JINJA_FILTERS.slice().sort());
  assert.equal(FILTERS.get('constructor'), undefined);
  assert.equal(FILTERS.get('__proto__'), undefined);
});

for (const [title, file] of [
  ['filters: hand-picked cases', 'filters.json'],
  ['string filters: 1200 randomized cases', 'filters_random.json'],
])
  test(`${title} from Jinja2 (plain and autoescape, str and Markup input)`, () => {
    type Row = [string, string, boolean, string, string, boolean, string, boolean[]?];
    const rows = fixture<Row[]>(file);
    const failures: string[] = [];
    for (const [name, valueJson, safe, argsJson, kwJson, autoescape, want, markupArgs] of rows) {
      const ctx = makeCtx(autoescape);
      let value = py(valueJson);
      if (safe) value = new Markup(value as string);
      let positional = py(argsJson) as PyValue[];
      if (markupArgs) positional = positional.map((a, i) => (markupArgs[i] ? new Markup(a as string) : a));
      const kwargs = new Map(Object.entries(JSON.parse(kwJson) as Record<string, unknown>).map(([k, v]) => [k, py(JSON.stringify(v))]));
      const got = outcome(() => show(FILTERS.get(name)!(ctx, value, { args: positional, kwargs })));
      const key = `${name} ${valueJson} ${argsJson}`;
      const expected = KNOWN[key] ?? want;
      if (got !== expected)
        failures.push(`${key} ${kwJson} autoescape=${autoescape} safe=${safe}: want ${JSON.stringify(expected)} got ${JSON.stringify(got)}`);
    }
    assert.deepEqual(failures, []);
  });

test('random is deterministic (first item) so previews are stable', () => {
  const ctx = makeCtx();
  const f = FILTERS.get('random')!;
  assert.equal(f(ctx, [3, 1, 2], { args: [], kwargs: new Map() }), 3);
  assert.equal(f(ctx, [3, 1, 2], { args: [], kwargs: new Map() }), 3);
});

test('generator filters are one-shot, always true, and have no len()', () => {
  const ctx = makeCtx();
  const g = FILTERS.get('select')!(ctx, [0, 0], { args: [], kwargs: new Map() });
  assert.equal(
    outcome(() => show(FILTERS.get('length')!(ctx, g, { args: [], kwargs: new Map() }))),
    "ERR TypeError: object of type 'generator' has no len()",
  );
  const m = FILTERS.get('map')!(ctx, [1, 2], { args: ['string'], kwargs: new Map() });
  assert.equal(FILTERS.get('join')!(ctx, m, { args: [], kwargs: new Map() }), '12');
  assert.equal(FILTERS.get('join')!(ctx, m, { args: [], kwargs: new Map() }), '');
});

test('filter argument errors use the Python function wording', () => {
  const ctx = makeCtx();
  const call = (name: string, value: PyValue, ...a: PyValue[]): string => outcome(() => show(FILTERS.get(name)!(ctx, value, { args: a, kwargs: new Map() })));
  assert.equal(call('upper', 'x', 1), 'ERR TypeError: do_upper() takes 1 positional argument but 2 were given');
  assert.equal(call('join', [], ',', null, 3), 'ERR TypeError: sync_do_join() takes from 2 to 4 positional arguments but 5 were given');
  assert.equal(call('batch', []), "ERR TypeError: do_batch() missing 1 required positional argument: 'linecount'");
  assert.equal(
    outcome(() => show(FILTERS.get('default')!(ctx, 1, { args: [], kwargs: new Map([['x', 1]]) }))),
    "ERR TypeError: do_default() got an unexpected keyword argument 'x'",
  );
});

test('pprint lays out long values exactly like pprint.pformat (150 random values)', () => {
  const rows = fixture<[string, string][]>('pprint.json');
  const failures: string[] = [];
  for (const [valueJson, want] of rows) {
    const got = FILTERS.get('pprint')!(makeCtx(), py(valueJson), { args: [], kwargs: new Map() });
    if (got !== want) failures.push(`${valueJson.slice(0, 80)}…: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
  }
  assert.deepEqual(failures, []);
});

test('int()/float() string parsing follows CPython (underscores, prefixes, Unicode digits)', () => {
  const ints: [string, number, number | null][] = [
    ['42', 10, 42],
    [' -7 ', 10, -7],
    ['+0x1f', 16, 31],
    ['0x_1f', 16, 31],
    ['0x1f', 0, 31],
    ['0o17', 0, 15],
    ['0b101', 0, 5],
    ['017', 0, null],
    ['00', 0, 0],
    ['0_0', 0, 0],
    ['1__0', 10, null],
    ['_1', 10, null],
    ['1_', 10, null],
    ['z', 36, 35],
    ['12', 2, null],
    ['1e3', 10, null],
    ['', 10, null],
    ['\u0663', 10, 3],
    ['\u{1d7d8}', 10, 0],
    ['0X1F', 16, 31],
    ['1 2', 10, null],
    ['0x', 16, null],
  ];
  for (const [text, base, want] of ints) assert.equal(parseIntPy(text, base), want, `int(${JSON.stringify(text)}, ${base})`);
  const floats: [string, number | null][] = [
    ['3.5', 3.5],
    ['1e3', 1000],
    ['.5', 0.5],
    ['5.', 5],
    ['.', null],
    ['1_000.5', 1000.5],
    [' -2 ', -2],
    ['-iNF', -Infinity],
    ['x', null],
    ['1e', null],
  ];
  for (const [text, want] of floats) assert.equal(parseFloatPy(text), want, `float(${JSON.stringify(text)})`);
  assert.ok(Number.isNaN(parseFloatPy('nan')));
});
