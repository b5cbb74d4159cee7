/**
 * Two passes per edit: the quick pass is published first, the complete pass after it (then
 * `analysisDone`), and what only the complete pass knows is carried into the next quick
 * publish, moved with the edit, so it does not blink out while typing.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clientPool, freshUri } from './harness.js';
import { onlyComplete, withCarried } from '../../server/src/analysis/carry.js';
import type { Finding } from '../../core/src/index.js';

const T = { timeout: 15_000 };
// Parses with two and one dimensions; with three, `b c` is no SQL: only the complete pass
// (every list shape) finds it.
const SHAPES = 'SELECT a{% if dimensions | length == 3 %} b c{% endif %} FROM t';

const f = (code: Finding['code'], start: number, end: number, message: string = code): Finding => ({ code, severity: 'error', message, span: { start, end } });

describe('two-phase diagnostics', () => {
  const start = clientPool();

  test('the quick pass comes first, the complete one adds what other list shapes show, and the next edit keeps it in place', T, async () => {
    const c = await start();
    const uri = freshUri();
    await c.open(uri, SHAPES);
    const first = await c.waitForFirst(uri);
    const complete = await c.waitForLatest(uri);
    assert.deepEqual(
      first.diagnostics.map(d => d.code),
      [],
      'the quick pass renders one shape only',
    );
    const broken = complete.diagnostics.find(d => d.code === 'DCR201');
    assert.ok(broken, JSON.stringify(complete.diagnostics));
    assert.equal(broken.range.start.line, 0);
    const column = broken.range.start.character;

    // A new first line: the quick pass of version 2 already shows the DCR201, one line down.
    await c.change(uri, `-- note\n${SHAPES}`, SHAPES);
    const quick2 = await c.waitForFirst(uri);
    const carried = quick2.diagnostics.find(d => d.code === 'DCR201');
    assert.ok(carried, `carried into the quick publish: ${JSON.stringify(quick2.diagnostics)}`);
    assert.deepEqual([carried.range.start.line, carried.range.start.character], [1, column]);
    const complete2 = await c.waitForLatest(uri);
    assert.deepEqual(
      complete2.diagnostics.map(d => [d.code, d.range.start.line]),
      [['DCR201', 1]],
    );
    assert.ok(c.done.some(d => d.uri === uri && d.version === 2 && d.quickMs !== undefined && d.quickMs <= d.ms));
  });

  test('an edit that fixes the mistake drops the carried finding with the complete pass', T, async () => {
    const c = await start();
    const uri = freshUri();
    await c.open(uri, SHAPES);
    await c.waitForLatest(uri);
    const fixed = SHAPES.replace(' b c', ' b, c');
    await c.change(uri, fixed, SHAPES);
    // The edit touched the finding's place: it is not carried, not even into the quick pass.
    assert.deepEqual((await c.waitForFirst(uri)).diagnostics, []);
    assert.deepEqual((await c.waitForLatest(uri)).diagnostics, []);
  });

  test('carried findings: lines before the edit kept, after it moved, on its line dropped, the quick pass wins a tie', () => {
    const before = 'SELECT x\nSELECT a FROM t\nWHERE x = 1\nAND y = 2';
    const after = 'SELECT x\nSELECT a, b FROM t\nWHERE x = 1\nAND y = 2';
    const findings = [f('DCR201', 0, 6), f('DCR201', 16, 17), f('DCR304', 31, 32), f('DCR202', 34, 37)];
    const out = withCarried([f('DCR202', 37, 40, 'quick')], { text: before, findings }, after);
    assert.deepEqual(
      out.map(x => [x.code, x.span.start, x.span.end, x.message]),
      [
        ['DCR202', 37, 40, 'quick'],
        ['DCR201', 0, 6, 'DCR201'],
        ['DCR304', 34, 35, 'DCR304'],
      ],
    );
    assert.deepEqual(onlyComplete([f('DCR201', 0, 6), f('DCR304', 1, 2)], [f('DCR201', 0, 6)]), [f('DCR304', 1, 2)]);
    assert.deepEqual(
      withCarried([], undefined, after).map(x => x.code),
      [],
    );
    // The same text again (a settings change re-checks it): everything stays, the last line too.
    assert.deepEqual(
      withCarried([], { text: before, findings }, before).map(x => [x.code, x.span.start]),
      findings.map(x => [x.code, x.span.start]),
    );
  });
});
