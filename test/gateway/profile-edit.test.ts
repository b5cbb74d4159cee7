/** `dcr policies pull` writes into the user's cleanrooms.json without disturbing the rest. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { diffPolicy, formatDiff, policyEntries, writePulledPolicies } from '../../gateway/src/policies.js';
import { analysisInput, parseProfile } from '../../gateway/src/profile.js';

const T = 'SAMOOHA_SAMPLE_DATABASE.DEMO.CUSTOMERS';
const PROFILE = `{
    // my clean rooms
    "api": "legacy",
    "cleanrooms": {
        "Clean Room 1": {
            "provider": {
                "tables": { "${T}": ["HASHED_EMAIL"] },
                "joinPolicy": ["${T}:OLD"],
                "columnPolicy": [] // filled by pull
            },
            "templates": ["overlap_analysis"]
        },
        "Other": { "provider": { "joinPolicy": ["X.Y.Z:A"] } }
    },
    "analyses": { "a": { "template": "templates/overlap_analysis.jinjasql", "cleanrooms": ["Clean Room 1"], "arguments": { "dimensions": ["p.STATUS"] } } }
}
`;

test('only the pulled keys of that clean room change; comments, indentation and other rooms stay', () => {
  const { text, changed } = writePulledPolicies(PROFILE, 'Clean Room 1', 'provider', {
    joinPolicy: [`${T}:HASHED_EMAIL`],
    columnPolicy: [`overlap_analysis:${T}:STATUS`],
    tables: { [T]: ['HASHED_EMAIL'] },
  });
  assert.deepEqual(changed, ['joinPolicy', 'columnPolicy']);
  assert.ok(text.includes('// my clean rooms'));
  assert.ok(text.includes('"Other": { "provider": { "joinPolicy": ["X.Y.Z:A"] } }'));
  assert.ok(text.includes(`"analyses": { "a": {`));
  const p = parseProfile(text, 'p');
  assert.deepEqual(p.cleanrooms!['Clean Room 1']!.provider, {
    tables: { [T]: ['HASHED_EMAIL'] },
    joinPolicy: [`${T}:HASHED_EMAIL`],
    columnPolicy: [`overlap_analysis:${T}:STATUS`],
  });
  // Everything before the edited room is byte-identical.
  assert.equal(text.slice(0, text.indexOf('"joinPolicy"')), PROFILE.slice(0, PROFILE.indexOf('"joinPolicy"')));
});

test('a missing clean room or side is created; a missing file starts from {}', () => {
  const a = writePulledPolicies(PROFILE, 'New Room', 'consumer', { joinPolicy: ['A.B.C:D'] });
  assert.deepEqual(parseProfile(a.text, 'p').cleanrooms!['New Room'], { consumer: { joinPolicy: ['A.B.C:D'] } });
  const b = writePulledPolicies('', 'R', 'provider', { activationPolicy: [] });
  assert.deepEqual(JSON.parse(b.text), { cleanrooms: { R: { provider: { activationPolicy: [] } } } });
});

test('pulling what is already there changes nothing', () => {
  const { text, changed } = writePulledPolicies(PROFILE, 'Clean Room 1', 'provider', { joinPolicy: [`${T}:OLD`], columnPolicy: [] });
  assert.deepEqual(changed, []);
  assert.equal(text, PROFILE);
});

test('policy rows in either shape become Snowflake policy strings', () => {
  assert.deepEqual(policyEntries([{ ENTRY: `${T}:EMAIL` }, { TABLE_NAME: T, COLUMN_NAME: 'PHONE' }, { table_name: T, column_name: 'phone' }], 'join'), [
    `${T}:EMAIL`,
    `${T}:PHONE`,
  ]);
  assert.deepEqual(
    policyEntries(
      [
        { TEMPLATE_NAME: 't', TABLE_NAME: T, COLUMN_NAMES: '["A","B"]' },
        { TABLE_NAME: T, COLUMN_NAME: 'NO_TEMPLATE' },
      ],
      'column',
    ),
    [`t:${T}:A`, `t:${T}:B`],
  );
});

test('the diff says what a replace-only set_* call adds and removes', () => {
  const d = diffPolicy('join', ['A.B.C:X', 'A.B.C:Y'], ['a.b.c:x', 'A.B.C:Z']);
  assert.deepEqual(d, { kind: 'join', added: ['A.B.C:Z'], removed: ['A.B.C:Y'], unchanged: ['a.b.c:x'] });
  assert.equal(formatDiff(d), 'join policy: 1 added, 1 removed, 1 kept\n  + A.B.C:Z\n  - A.B.C:Y');
});

test('an analysis gives the template name from its file name', () => {
  assert.deepEqual(analysisInput(parseProfile(PROFILE, 'p'), 'a', 'p'), {
    cleanrooms: ['Clean Room 1'],
    templateName: 'overlap_analysis',
    arguments: { dimensions: ['p.STATUS'] },
    runAs: 'consumer',
    template: 'templates/overlap_analysis.jinjasql',
  });
  assert.throws(() => analysisInput(parseProfile(PROFILE, 'p'), 'zzz', 'p'), /no analysis 'zzz' in p \(known: a\)/);
});
