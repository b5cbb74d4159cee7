import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatValue, percentFormat, strFormat } from '../../../core/src/jinja/runtime/format.ts';
import { Markup, PyFloat, PyTuple, type PyValue } from '../../../core/src/jinja/runtime/values.ts';
import { fixture, makeCtx, outcome } from './helpers.ts';

type Encoded = [kind: 'int' | 'float' | 'bool' | 'str' | 'none', value: string | number | boolean | null];
function decode([kind, v]: Encoded): PyValue {
  switch (kind) {
    case 'float':
      return new PyFloat(v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v === 'nan' ? NaN : Number(v));
    case 'none':
      return null;
    default:
      return v as PyValue;
  }
}

test('format(value, spec): 1760 cases from CPython', () => {
  const ctx = makeCtx();
  const rows = fixture<[Encoded, string, string][]>('format_spec.json');
  const failures: string[] = [];
  for (const [enc, spec, want] of rows) {
    const got = outcome(() => formatValue(ctx, decode(enc), spec));
    if (got !== want) failures.push(`format(${JSON.stringify(enc)}, ${JSON.stringify(spec)}): want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
  }
  assert.deepEqual(failures, []);
});

test('printf-style %: 1300 cases from CPython', () => {
  const ctx = makeCtx();
  const rows = fixture<[string, Encoded[], string][]>('percent.json');
  const failures: string[] = [];
  for (const [fmt, encArgs, want] of rows) {
    const got = outcome(() => String(percentFormat(ctx, fmt, new PyTuple(encArgs.map(decode)))));
    if (got !== want) failures.push(`${JSON.stringify(fmt)} % ${JSON.stringify(encArgs)}: want ${JSON.stringify(want)} got ${JSON.stringify(got)}`);
  }
  assert.deepEqual(failures, []);
});

test('% with a single (non-tuple) argument, mappings and lists', () => {
  const ctx = makeCtx();
  const cases: [string, PyValue, string][] = [
    ['%s', [1, 2], '[1, 2]'],
    ['a', [1], 'a'],
    ['a', 5, 'ERR TypeError: not all arguments converted during string formatting'],
    ['%s', null, 'None'],
    ['%s %s', 'x', 'ERR TypeError: not enough arguments for format string'],
  ];
  for (const [fmt, arg, want] of cases)
    assert.equal(
      outcome(() => String(percentFormat(ctx, fmt, arg))),
      want,
    );
});

test('Markup % escapes arguments (markupsafe)', () => {
  const ctx = makeCtx(true);
  const r = percentFormat(ctx, new Markup('<b>%s</b>%r'), new PyTuple(['<x>', "'"]));
  assert.ok(r instanceof Markup);
  assert.equal(r.text, '<b>&lt;x&gt;</b>&#34;&#39;&#34;');
  assert.equal((percentFormat(ctx, new Markup('%s'), new Markup('<i>')) as Markup).text, '<i>');
});

test('Markup.format escapes fields; str.format attribute and index fields', () => {
  const ctx = makeCtx(true);
  const r = strFormat(ctx, new Markup('<p>{}{x}</p>'), ['<'], new Map([['x', new Markup('&amp;')]]));
  assert.ok(r instanceof Markup);
  assert.equal(r.text, '<p>&lt;&amp;</p>');
  assert.equal(strFormat(ctx, '{0[0]}-{0[1]}', [['a', 'b']], new Map()), 'a-b');
});
