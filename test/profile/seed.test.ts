/**
 * The seed (Snowflake's multi-provider example) as a workspace. Room 1 allows projecting
 * STATUS, room 2 only REGION_CODE; both allow joining on HASHED_EMAIL. The analysis passes
 * dimensions ['p1.STATUS', 'p2.STATUS'], so Snowflake rejects it in room 2 twice over:
 * - the cluster render reads p2.STATUS from room 2's table (dimensions[loop.index] | column_policy);
 * - room 2's own render has only its table, as p1, so p1.STATUS (dimensions[0] | column_policy)
 *   is room 2's STATUS too.
 * Room 1 accepts everything; the join keys pass in both rooms.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyzeDocument, analyzeProfileDocument, parseDocument, parseProfile } from '../../core/src/index.js';

const WS = resolve(__dirname, '../fixtures/seed-workspace');
const SHEET = 'multiprovider_overlap_analysis.sql';
const profileText = readFileSync(join(WS, 'cleanrooms.json'), 'utf8');
const sheet = readFileSync(join(WS, SHEET), 'utf8');
const ROOM2 = 'Samooha Cleanroom Multiprovider Clean Room 2';

/** 1-based line, column and the covered text, computed independently of core's LineIndex. */
function where(text: string, start: number, end: number): [number, number, string] {
  const before = text.slice(0, start).split('\n');
  return [before.length, before[before.length - 1]!.length + 1, text.slice(start, end)];
}

describe('seed workspace', () => {
  const profile = parseProfile(profileText);

  test('the profile is valid', () => {
    assert.deepEqual(profile.problems, []);
    assert.deepEqual([...profile.cleanrooms.keys()], ['Samooha Cleanroom Multiprovider Clean Room 1', ROOM2]);
    assert.equal(profile.analyses.get('overlap by status across both rooms')!.templateName, 'multiprovider_overlap_analysis');
  });

  test('the worksheet: exactly the column checks Snowflake rejects, in both template requests', () => {
    const model = parseDocument({ text: sheet, path: join(WS, SHEET) });
    assert.equal(model.templates.length, 2);
    const findings = analyzeDocument(model, { profile: { profile, templatePath: SHEET } }).filter(f => /^DCR3/.test(f.code));
    const got = findings.map(f => [f.code, f.severity, ...where(sheet, f.span.start, f.span.end)]);
    assert.deepEqual(got, [
      ['DCR302', 'error', 8, 96, '| column_policy'],
      ['DCR302', 'error', 15, 106, '| column_policy'],
      ['DCR302', 'error', 34, 96, '| column_policy'],
      ['DCR302', 'error', 41, 106, '| column_policy'],
    ]);
    // Line 8 is `dimensions[0] | column_policy`: rejected in room 2's own render only.
    assert.match(
      findings[0]!.message,
      new RegExp(`'p1\\.STATUS' is SAMOOHA_SAMPLE_DATABASE\\.DEMO\\.CUSTOMERS:STATUS in clean room '${ROOM2}' \\(that room's own render\\)`),
    );
    // Line 15 is `dimensions[loop.index] | column_policy`: rejected in the cluster render.
    assert.match(
      findings[1]!.message,
      new RegExp(`'p2\\.STATUS' is SAMOOHA_SAMPLE_DATABASE\\.DEMO\\.CUSTOMERS:STATUS in clean room '${ROOM2}' \\(cluster render\\)`),
    );
    for (const f of findings) {
      assert.doesNotMatch(f.message, /Clean Room 1'/, 'room 1 allows STATUS');
      assert.match(
        f.message,
        /provider\.set_column_policy\('Samooha Cleanroom Multiprovider Clean Room 2', \['multiprovider_overlap_analysis:SAMOOHA_SAMPLE_DATABASE\.DEMO\.CUSTOMERS:REGION_CODE', 'multiprovider_overlap_analysis:SAMOOHA_SAMPLE_DATABASE\.DEMO\.CUSTOMERS:STATUS'\]\)/,
      );
    }
  });

  test('the same rejections shown on the arguments in cleanrooms.json', () => {
    const findings = analyzeProfileDocument(profileText, { templateText: p => readFileSync(join(WS, p), 'utf8') });
    assert.deepEqual(
      findings.map(f => [f.code, f.severity, ...where(profileText, f.span.start, f.span.end)]),
      [
        ['DCR302', 'error', 43, 24, '"p1.STATUS"'],
        ['DCR302', 'error', 43, 37, '"p2.STATUS"'],
      ],
    );
  });

  test('with room 2 allowing STATUS too, the analysis is clean', () => {
    const fixed = profileText.replace(
      'CUSTOMERS:REGION_CODE"]',
      'CUSTOMERS:REGION_CODE", "multiprovider_overlap_analysis:SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS:STATUS"]',
    );
    assert.notEqual(fixed, profileText);
    const model = parseDocument({ text: sheet, path: join(WS, SHEET) });
    assert.deepEqual(
      analyzeDocument(model, { profile: { profile: parseProfile(fixed), templatePath: SHEET } }).filter(f => /^DCR3/.test(f.code)),
      [],
    );
  });
});
