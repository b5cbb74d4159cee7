/**
 * 10,000 edits of one template: what the server holds (documents, parsed models, pending
 * checks, caches) must not grow with edits, and closing the document releases it. Counted,
 * not timed; memory in bytes is printed for the record, never asserted (GC decides it).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { clientPool, freshUri } from './harness.js';
import type { ServerStats } from '../../server/src/shared/customMessages.js';

const EDITS = 10_000;

describe('soak', () => {
  const start = clientPool();

  test(`${EDITS} edits leave every count where one edit left it`, { timeout: 120_000 }, async () => {
    const c = await start();
    const stats = (): Promise<ServerStats> => c.conn.sendRequest('cleanRoomTemplates/serverStats');
    const other = freshUri('other.jinjasql');
    await c.open(other, 'SELECT {{ a | column_policy }} FROM IDENTIFIER({{ source_table[0] }}) AS p');
    const uri = freshUri();
    const textAt = (i: number) =>
      `SELECT {{ col_${i % 50} | sqlsafe }}, {% for d in dims %}{{ d | column_policy }}, {% endfor %}${i}\nFROM IDENTIFIER({{ source_table[0] }}) AS p`;
    let text = textAt(0);
    await c.open(uri, text);
    await c.waitForLatest(uri);
    await c.waitForLatest(other);
    for (let i = 1; i <= 10; i++) {
      await c.change(uri, textAt(i), text);
      text = textAt(i);
    }
    await c.waitForLatest(uri);
    const early = await stats();

    for (let i = 11; i <= EDITS; i++) {
      await c.change(uri, textAt(i), text);
      text = textAt(i);
    }
    const last = await c.waitForLatest(uri);
    assert.ok(
      last.diagnostics.some(d => d.code === 'DCR103'),
      'the last version was checked',
    );
    const late = await stats();
    console.log(`soak: heap ${(early.heapUsedBytes / 1e6).toFixed(1)} MB after 10 edits, ${(late.heapUsedBytes / 1e6).toFixed(1)} MB after ${EDITS}`);

    // Counts only: memory figures move with every collection.
    const counts = ({ heapUsedBytes: _h, memory: _m, ...rest }: ServerStats) => rest;
    assert.deepEqual(counts(late), counts(early));
    assert.equal(late.documents, 2);
    assert.ok(late.models <= 2, `models: ${late.models}`);
    assert.equal(late.pendingChecks, 0);
    assert.equal(late.analysisQueue, 0);

    await c.close(uri);
    await c.close(other);
    const closed = await stats();
    assert.deepEqual([closed.documents, closed.models, closed.pendingChecks, closed.settingsCached, closed.carriedFindings], [0, 0, 0, 0, 0]);
    assert.equal(await c.shutdown(), 0);
  });
});
