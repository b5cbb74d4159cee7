/**
 * Robustness fuzzing of the engine: whatever the text, renderString returns (never throws a
 * JS exception), in bounded time, and every reported span lies inside the template.
 * Inputs: random strings over a Jinja-heavy alphabet, and mutations (insert / delete /
 * duplicate slices) of the conformance templates. The seed is fixed and printed so a failure
 * reproduces: FUZZ_SEED=<n> FUZZ_RUNS=<n> node --import tsx --test test/fuzz/fuzz.test.ts
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import fc from 'fast-check';
import { parseArguments, renderString } from '../../core/src/index.js';
import { loadCases } from '../conformance/harness.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261121);
const RUNS = Number(process.env.FUZZ_RUNS ?? 5000);
console.log(`fuzz: seed ${SEED}, ${RUNS} runs per property`);

const TOKENS = [
  '{{',
  '}}',
  '{%',
  '%}',
  '{#',
  '#}',
  '{{-',
  '-}}',
  '{%-',
  '-%}',
  '{%+',
  ' ',
  ' ',
  ' ',
  '\n',
  '\r\n',
  '\t',
  'if',
  'elif',
  'else',
  'endif',
  'for',
  'in',
  'endfor',
  'set',
  'endset',
  'macro',
  'endmacro',
  'call',
  'endcall',
  'raw',
  'endraw',
  'filter',
  'endfilter',
  'with',
  'endwith',
  'recursive',
  'not',
  'and',
  'or',
  'is',
  'defined',
  'none',
  'true',
  'False',
  'x',
  'xs',
  'd',
  'loop',
  'loop.index',
  'caller',
  'namespace',
  'range',
  'cycler',
  'self',
  'lipsum',
  'sqlsafe',
  'inclause',
  'bind',
  'bind(',
  "bind('n')",
  'join_policy',
  'upper',
  'join',
  'default',
  'map',
  'attribute=',
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  '.',
  '|',
  '~',
  '=',
  '==',
  '!=',
  '<',
  '>',
  '*',
  '**',
  '/',
  '//',
  '%',
  '+',
  '-',
  '"',
  "'",
  '\\',
  '0',
  '1',
  '2.0',
  '1e9',
  '10**9',
  '"a"',
  "'b'",
  '"%s"',
  '{}',
  '[1, 2]',
  '(1,)',
  '::-1',
  '__proto__',
  'constructor',
  '\u00e9',
  '\u0000',
  '\uffff',
  '\ud800',
];

const CONTEXT = parseArguments(
  JSON.stringify({ x: 'p.a', xs: [1, 2, 3], d: { a: 1, b: [2.5, null] }, n: null, cols: ['p.a', 'p.b'], source_table: ['DB.S.T'] }),
);
// Small caps keep each run short; the point here is robustness, the caps are tested elsewhere.
const LIMITS = { maxSteps: 20_000, maxOutputChars: 200_000, maxStringChars: 200_000, maxListItems: 20_000, maxRange: 10_000 };

function check(template: string): void {
  for (const jinjasql of [true, false]) {
    const t0 = performance.now();
    let r;
    try {
      r = renderString(template, CONTEXT, { jinjasql, limits: LIMITS });
    } catch (e) {
      assert.fail(`renderString threw ${(e as Error)?.name}: ${(e as Error)?.message} for ${JSON.stringify(template)} (jinjasql=${jinjasql})`);
    }
    const ms = performance.now() - t0;
    assert.ok(ms < 1000, `took ${ms.toFixed(0)} ms for ${JSON.stringify(template.slice(0, 300))}`);
    const spans = [...(r.error?.span ? [r.error.span] : []), ...r.syntaxErrors.map(e => e.span)];
    for (const s of spans) {
      assert.ok(
        Number.isInteger(s.start) && Number.isInteger(s.end) && s.start >= 0 && s.start <= s.end && s.end <= template.length,
        `span [${s.start}, ${s.end}] outside [0, ${template.length}] for ${JSON.stringify(template.slice(0, 300))}`,
      );
    }
    assert.ok((r.output === null) === (r.error !== null), 'output must be null exactly when there is an error');
  }
}

const piece = fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...TOKENS) }, { weight: 1, arbitrary: fc.string({ maxLength: 3 }) });
const jinjaText = fc.array(piece, { maxLength: 80 }).map(parts => parts.join(''));

test('fuzz: random Jinja-heavy strings', () => {
  fc.assert(fc.property(jinjaText, check), { seed: SEED, numRuns: RUNS });
});

const seeds = loadCases().map(c => c.template);
type Op = { kind: 'insert'; at: number; text: string } | { kind: 'delete' | 'duplicate'; at: number; len: number };
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: jinjaText }),
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(), len: fc.integer({ min: 1, max: 60 }) }),
);

function mutate(base: string, ops: Op[]): string {
  let s = base;
  for (const o of ops) {
    const at = s.length ? o.at % (s.length + 1) : 0;
    if (o.kind === 'insert') s = s.slice(0, at) + o.text + s.slice(at);
    else if (o.kind === 'delete') s = s.slice(0, at) + s.slice(at + o.len);
    else s = s.slice(0, at + o.len) + s.slice(at, at + o.len) + s.slice(at + o.len);
  }
  return s;
}

test('fuzz: mutated conformance templates', () => {
  assert.ok(seeds.length > 0);
  const mutated = fc.tuple(fc.nat({ max: seeds.length - 1 }), fc.array(op, { minLength: 1, maxLength: 4 })).map(([i, ops]) => mutate(seeds[i]!, ops));
  fc.assert(fc.property(mutated, check), { seed: SEED + 1, numRuns: RUNS });
});
