/**
 * Differential conformance: every case in cases/*.json must render exactly as real Jinja2
 * (plus the JinjaSQL 0.1.8 bind layer) rendered it into golden/*.json. Regenerate the
 * goldens with test/conformance/regenerate.sh; this test never runs Python.
 *
 * Compared: the output byte for byte; in JinjaSQL mode also the '?' query and each bind's
 * name and Python repr; for errors only the exception type (messages differ by design).
 * Cases in known-differences.json must still differ: if one starts matching, the test fails
 * so the list is pruned.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderString, repr } from '../../core/src/index.js';
import { firstDifference, loadCases, loadGoldens, loadKnownDifferences, type Case, type Golden } from './harness.js';

const cases = loadCases();
const goldens = loadGoldens();
const known = loadKnownDifferences();

/** Returns null when the engine's outcome equals the golden, else a one-line reason. */
function compare(c: Case, g: Golden): string | null {
  let r;
  try {
    r = renderString(c.template, c.context, { jinjasql: c.jinjasql });
  } catch (e) {
    return `renderString threw a JS exception: ${(e as Error)?.stack ?? String(e)}`;
  }
  if ('error' in g) {
    if (!r.error) return `expected ${g.error.type} (${g.error.message}), got output ${JSON.stringify(r.output)}`;
    if (r.error.type !== g.error.type) return `expected ${g.error.type} (${g.error.message}), got ${r.error.type}: ${r.error.message}`;
    return null;
  }
  if (r.error) return `expected output ${JSON.stringify(g.output.slice(0, 80))}, got ${r.error.type}: ${r.error.message}`;
  if (r.output !== g.output) return `output ${firstDifference(g.output, r.output ?? '<null>')}`;
  if (g.query !== undefined) {
    if (r.query !== g.query) return `query ${firstDifference(g.query, r.query ?? '<undefined>')}`;
    const got = (r.binds ?? []).map(b => [b.name, repr(b.value)] as [string, string]);
    const want = g.binds;
    for (let i = 0; i < Math.max(got.length, want.length); i++) {
      const a = want[i],
        b = got[i];
      if (!a || !b || a[0] !== b[0] || a[1] !== b[1]) {
        return `bind #${i}: expected ${a ? `${a[0]}=${a[1]}` : 'nothing'}, got ${b ? `${b[0]}=${b[1]}` : 'nothing'}`;
      }
    }
  }
  return null;
}

const tally = { identical: 0, documented: 0, failing: [] as string[] };

test('conformance data is consistent', () => {
  assert.ok(cases.length >= 300, `only ${cases.length} cases`);
  const ids = new Set<string>();
  for (const c of cases) {
    assert.ok(!ids.has(c.id), `duplicate case id ${c.id}`);
    ids.add(c.id);
    assert.ok(goldens.has(c.id), `no golden for ${c.id}: run test/conformance/regenerate.sh`);
  }
  for (const id of goldens.keys()) assert.ok(ids.has(id), `golden ${id} has no case: run test/conformance/regenerate.sh`);
  for (const id of Object.keys(known)) assert.ok(ids.has(id), `known-differences.json names unknown case ${id}`);
});

const categories = [...new Set(cases.map(c => c.category))];
for (const category of categories) {
  describe(`conformance: ${category}`, () => {
    for (const c of cases.filter(x => x.category === category)) {
      test(c.id, () => {
        const g = goldens.get(c.id);
        assert.ok(g, `no golden for ${c.id}`);
        const diff = compare(c, g);
        if (c.id in known) {
          if (diff === null) {
            tally.failing.push(c.id);
            assert.fail(`${c.id} now matches Jinja2: remove it from known-differences.json (${known[c.id]})`);
          }
          tally.documented++;
          return;
        }
        if (diff !== null) {
          tally.failing.push(c.id);
          assert.fail(`${c.id}: ${diff}\n  template: ${JSON.stringify(c.template.slice(0, 200))}`);
        }
        tally.identical++;
      });
    }
  });
}

after(() => {
  console.log(
    `conformance: ${tally.identical}/${cases.length} identical, ${tally.documented} documented differences` +
      (tally.failing.length ? `, ${tally.failing.length} failing: ${tally.failing.join(' ')}` : ''),
  );
});
