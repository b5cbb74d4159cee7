/**
 * Security suite: hostile templates must end in a clear error or a harmless render within a
 * second, without writing files, without touching JS prototypes or globalThis, and leave the
 * engine working. The 1 s bound is a security property (a template must not be able to hold
 * the language server), not a performance target.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEFAULT_LIMITS, parseArguments, renderString } from '../../core/src/index.js';
import { ATTACKS } from './attacks.js';

const CONTEXT = parseArguments(
  JSON.stringify({
    w: 'abcdef',
    num: 7,
    flt: 2.5,
    n: null,
    t: true,
    xs: [1, 2, 3],
    d: { a: 1, b: { c: [1, 2] } },
    users: [
      { name: 'ann', age: 31 },
      { name: 'bob', age: 25 },
    ],
    source_table: ['DB.S.T'],
  }),
);

/** Evidence that a template reached host JavaScript (values that cannot come from Python semantics). */
const LEAK = [
  /\[native code\]/,
  /\[object [A-Z]/,
  /function\s*[\w$]*\s*\(/,
  /=>/,
  /process\.version|v\d+\.\d+\.\d+/,
  /root:x:0:0/,
  /"name":\s*"clean-room-templates"/,
  /ERR_/,
];

type Snapshot = Map<string, unknown>;
const WATCHED: [string, object][] = [
  ['Object.prototype', Object.prototype],
  ['Array.prototype', Array.prototype],
  ['Function.prototype', Function.prototype],
  ['String.prototype', String.prototype],
  ['Number.prototype', Number.prototype],
  ['Boolean.prototype', Boolean.prototype],
  ['Map.prototype', Map.prototype],
  ['RegExp.prototype', RegExp.prototype],
  ['globalThis', globalThis],
];

/** Own property names and the identity of each value/getter/setter, so replacement shows too. */
function snapshot(): Snapshot {
  const s: Snapshot = new Map();
  for (const [label, obj] of WATCHED) {
    for (const key of Reflect.ownKeys(obj)) {
      const desc = Object.getOwnPropertyDescriptor(obj, key)!;
      const k = `${label}.${String(key)}`;
      s.set(`${k}#value`, desc.value);
      s.set(`${k}#get`, desc.get);
      s.set(`${k}#set`, desc.set);
    }
    s.set(`${label}#proto`, Object.getPrototypeOf(obj));
  }
  return s;
}

function diffSnapshots(a: Snapshot, b: Snapshot): string[] {
  const out: string[] = [];
  for (const [k, v] of a) if (!b.has(k) || !Object.is(b.get(k), v)) out.push(`changed or removed ${k}`);
  for (const k of b.keys()) if (!a.has(k)) out.push(`added ${k}`);
  return out;
}

const REPO = resolve('.');
let sandboxDir = '';
let originalCwd = '';
const listing = () => [...readdirSync(sandboxDir).map(f => `sandbox/${f}`), ...readdirSync(REPO).map(f => `repo/${f}`)].sort().join('\n');

before(() => {
  originalCwd = process.cwd();
  sandboxDir = mkdtempSync(join(tmpdir(), 'dcr-attacks-'));
  // A file write through a relative path would land here, where the listing checks for it.
  process.chdir(sandboxDir);
});
after(() => {
  process.chdir(originalCwd);
  rmSync(sandboxDir, { recursive: true, force: true });
});

function assertHealthy(): void {
  const r = renderString('SELECT {{ a }}{% for x in xs %}, {{ x | sqlsafe }}{% endfor %}', parseArguments('{"a": "p.x", "xs": ["c1", "c2"]}'));
  assert.equal(r.error, null, `engine unhealthy after attack: ${r.error?.type}: ${r.error?.message}`);
  assert.equal(r.output, "SELECT 'p.x', c1, c2");
  const j = renderString('{{ 7 // 2 }}|{{ [1, 2]|join(",") }}', {}, { jinjasql: false });
  assert.equal(j.output, '3|1,2');
}

const timings: string[] = [];
/** How each budget of the engine words the stop: steps, nesting, sizes of ranges, lists, strings, output. */
const BUDGET_MESSAGE =
  /too many steps|nest too deeply|recursion is too deep|range too big|list too large|string too large|output too large|bound values too large|built too much text|wrote too much output|resource limit/;

describe('attacks', () => {
  test('the suite has at least 30 attacks', () => {
    assert.ok(ATTACKS.length >= 30);
    assert.equal(new Set(ATTACKS.map(a => a.id)).size, ATTACKS.length, 'duplicate attack id');
  });

  for (const attack of ATTACKS) {
    for (const jinjasql of [true, false]) {
      test(`${attack.cls}: ${attack.id} (${jinjasql ? 'jinjasql' : 'jinja'})`, () => {
        const filesBefore = listing();
        const protoBefore = snapshot();
        const t0 = performance.now();
        let r;
        try {
          r = renderString(attack.template, CONTEXT, { jinjasql });
        } catch (e) {
          assert.fail(`renderString threw instead of reporting an error: ${(e as Error)?.name}: ${(e as Error)?.message}`);
        }
        const ms = performance.now() - t0;
        if (ms > 200) timings.push(`${attack.id}/${jinjasql ? 'sql' : 'jinja'} ${ms.toFixed(0)} ms`);
        // Bounded by the engine's budgets, not by the clock (a loaded machine must not fail it):
        // no render runs past the step budget, and an attack on time or memory that is
        // stopped is stopped by a budget that says which.
        assert.ok(r.steps <= DEFAULT_LIMITS.maxSteps + 1, `ran ${r.steps} steps, past the step budget of ${DEFAULT_LIMITS.maxSteps}`);
        if ((attack.cls === 'cpu' || attack.cls === 'memory') && r.error?.type === 'SecurityError') assert.match(r.error.message, BUDGET_MESSAGE);

        assert.deepEqual(diffSnapshots(protoBefore, snapshot()), [], 'a prototype or globalThis changed');
        assert.equal(listing(), filesBefore, 'a file appeared or disappeared');

        if (r.error) {
          assert.equal(typeof r.error.type, 'string');
          assert.ok(r.error.type.length > 0 && r.error.message.length > 0, 'error without type or message');
          assert.equal(r.output, null);
          for (const re of LEAK) assert.ok(!re.test(r.error.message), `error message leaks host data (${re}): ${r.error.message.slice(0, 200)}`);
        } else {
          assert.ok(!attack.mustError, `expected an error, got output ${JSON.stringify((r.output ?? '').slice(0, 120))}`);
          assert.equal(typeof r.output, 'string');
          const out = r.output!;
          assert.ok(out.length <= 5_000_000, `output of ${out.length} characters`);
          for (const re of LEAK) assert.ok(!re.test(out.slice(0, 1_000_000)), `output leaks host data (${re}): ${out.slice(0, 200)}`);
        }
        assertHealthy();
      });
    }
  }
});

after(() => {
  if (timings.length) console.log(`attacks slower than 200 ms: ${timings.join(', ')}`);
});
