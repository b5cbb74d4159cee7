import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TESTS } from '../../../core/src/jinja/runtime/index.ts';
import { Markup, PyCallable, type PyValue, Undefined } from '../../../core/src/jinja/runtime/values.ts';
import { createGlobals } from '../../../core/src/jinja/runtime/globals.ts';
import { fixture, makeCtx, outcome, py } from './helpers.ts';

const JINJA_TESTS = [
  'odd',
  'even',
  'divisibleby',
  'defined',
  'undefined',
  'filter',
  'test',
  'none',
  'boolean',
  'false',
  'true',
  'integer',
  'float',
  'lower',
  'upper',
  'string',
  'mapping',
  'number',
  'sequence',
  'iterable',
  'callable',
  'sameas',
  'escaped',
  'in',
  '==',
  'eq',
  'equalto',
  '!=',
  'ne',
  '>',
  'gt',
  'greaterthan',
  'ge',
  '>=',
  '<',
  'lt',
  'lessthan',
  '<=',
  'le',
];

test('the registry holds exactly the Jinja2 3.1 builtin tests', () => {
  assert.deepEqual([...TESTS.keys()].sort(), JINJA_TESTS.slice().sort());
});

test('tests: cases from Jinja2', () => {
  const rows = fixture<[string, string, string, string][]>('tests.json');
  const failures: string[] = [];
  for (const [name, valueJson, argsJson, want] of rows) {
    const ctx = makeCtx();
    const got = outcome(() => (TESTS.get(name)!(ctx, py(valueJson), { args: py(argsJson) as PyValue[], kwargs: new Map() }) ? 'True' : 'False'));
    if (got !== want) failures.push(`${name} ${valueJson} ${argsJson}: want ${want} got ${got}`);
  }
  assert.deepEqual(failures, []);
});

test('tests on values JSON cannot express', () => {
  const ctx = makeCtx();
  const t = (name: string, v: PyValue, ...a: PyValue[]): boolean => TESTS.get(name)!(ctx, v, { args: a, kwargs: new Map() });
  const u = new Undefined('x', "'x' is undefined");
  assert.equal(t('defined', u), false);
  assert.equal(t('undefined', u), true);
  // Jinja's Undefined has __len__, __getitem__, __iter__ and __call__.
  assert.equal(t('sequence', u), true);
  assert.equal(t('iterable', u), true);
  assert.equal(t('callable', u), true);
  assert.equal(t('escaped', new Markup('x')), true);
  const g = createGlobals();
  assert.equal(t('callable', g.get('range')!), true);
  const joiner = (g.get('joiner') as PyCallable).call({ args: [], kwargs: new Map() }, ctx);
  const cycler = (g.get('cycler') as PyCallable).call({ args: [1], kwargs: new Map() }, ctx);
  assert.equal(t('callable', joiner), true);
  assert.equal(t('callable', cycler), false);
  const list: PyValue = [];
  assert.equal(t('sameas', list, list), true);
  assert.equal(
    outcome(() => String(t('odd', u))),
    "ERR UndefinedError: 'x' is undefined",
  );
});
