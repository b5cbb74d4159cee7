/**
 * preset_tables is filled by Snowflake, not by the caller: the symbolic renders give each alias
 * the template reads a table name, so the SQL around it is checked instead of "could not verify".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeDocument, parse, parseDocument, renderSymbolic } from '../../core/src/index.js';

const cases = [
  "SELECT pub.hashed_email FROM IDENTIFIER({{ preset_tables['publisher'] }}) AS pub",
  'SELECT pub.hashed_email FROM IDENTIFIER({{ preset_tables.publisher }}) AS pub',
];

for (const text of cases) {
  test(text, () => {
    const r = renderSymbolic(text, parse(text)).renders[0]!;
    assert.match(r.outcome.output ?? '', /IDENTIFIER\('PRESET_DB\.PRESET_SCHEMA\.PUBLISHER'\) AS pub/);
    // The preset table is not a caller value: nothing about it is tracked as an argument use.
    assert.equal(r.uses.length, 0);
    const codes = analyzeDocument(parseDocument({ text, path: 't.jinjasql' }), { api: 'collaboration' }).map(f => f.code);
    assert.ok(!codes.includes('DCR200'), codes.join(', '));
  });
}

test('a missing comma after a preset table read is a syntax error, no longer unverifiable', () => {
  const text = "SELECT pub.a pub.b FROM IDENTIFIER({{ preset_tables['publisher'] }}) AS pub";
  const codes = analyzeDocument(parseDocument({ text, path: 't.jinjasql' }), { api: 'collaboration' }).map(f => f.code);
  assert.ok(codes.includes('DCR201'), codes.join(', '));
});
