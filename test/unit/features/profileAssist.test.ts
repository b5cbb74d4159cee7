/**
 * Writing an analysis's arguments in cleanrooms.json: completion of column values from the
 * rooms' tables (allowed ones first) and hover saying which policy allows a value.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { doProfileComplete, doProfileHover } from '../../../core/src/index.js';

const PROFILE = (dims: string) => `{
  "api": "legacy",
  "cleanrooms": {
    "Room 1": {
      "provider": {
        "tables": { "DB.S.CUSTOMERS": ["HASHED_EMAIL", "STATUS", "REGION"] },
        "joinPolicy": ["DB.S.CUSTOMERS:HASHED_EMAIL"],
        "columnPolicy": ["overlap:DB.S.CUSTOMERS:STATUS", "other:DB.S.CUSTOMERS:REGION"]
      },
      "consumer": { "tables": { "ME.S.T": ["EMAIL"] } }
    }
  },
  "analyses": {
    "a": { "template": "overlap.jinjasql", "cleanrooms": ["Room 1"],
           "arguments": { "source_table": ["DB.S.CUSTOMERS"], "my_table": ["ME.S.T"], "dimensions": [${dims}] } }
  }
}`;

/** The profile with the cursor where `‸` is. */
function at(dims: string): { text: string; offset: number } {
  const marked = PROFILE(dims);
  const offset = marked.indexOf('‸');
  assert.ok(offset >= 0);
  return { text: marked.replace('‸', ''), offset };
}

describe('profile assist', () => {
  test('completion lists the tables columns by alias, those a policy allows for this template first', () => {
    const { text, offset } = at('"p.‸"');
    const r = doProfileComplete(text, offset);
    assert.ok(r);
    const sorted = [...r.items].sort((a, b) => a.sortText.localeCompare(b.sortText));
    assert.deepEqual(
      sorted.map(i => i.label),
      ['p.HASHED_EMAIL', 'p.STATUS', 'c.EMAIL', 'p.REGION'],
    );
    assert.match(sorted[1]!.detail!, /column policy of Room 1/);
    // REGION is allowed for another template only: Snowflake would reject it here.
    assert.match(sorted[3]!.detail!, /in no policy of Room 1 for overlap/);
    assert.deepEqual(r.span, { start: offset - 2, end: offset });
  });

  test('no completion outside argument values', () => {
    const marked = PROFILE('"p.STATUS"').replace('"api": "legacy"', '"api": "leg‸acy"');
    assert.equal(doProfileComplete(marked.replace('‸', ''), marked.indexOf('‸')), null);
  });

  test('hover on a value says which policy allows it, or that none does', () => {
    const ok = at('"p.ST‸ATUS"');
    assert.match(doProfileHover(ok.text, ok.offset)!.contents, /DB\.S\.CUSTOMERS\.STATUS` is allowed by the column policy for `overlap`/);
    const no = at('"p.REG‸ION"');
    assert.match(doProfileHover(no.text, no.offset)!.contents, /in no policy for `overlap`: Snowflake would reject it/);
    const unknown = at('"p9.X‸"');
    assert.match(doProfileHover(unknown.text, unknown.offset)!.contents, /names no table/);
  });
});
