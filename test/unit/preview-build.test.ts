/**
 * The preview builder with a real profile (core/src/profile): a single-room analysis, a
 * multi-provider analysis (cluster + one render per room), the room filter and placeholders.
 * The LSP tests cover the same through the server; this one needs no profile store.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPreview, parseDocument, parseProfile, type PreviewChoice, type PreviewInputs } from '../../core/src/index.js';

const TEMPLATE = [
  'SELECT {% for d in dimensions %}IDENTIFIER({{ d | column_policy }}), {% endfor %}COUNT(*)',
  'FROM IDENTIFIER({{ my_table[0] }}) AS c',
  '{% for t in source_table %}JOIN IDENTIFIER({{ t }}) AS p{{ loop.index | sqlsafe }} ON TRUE',
  '{% endfor %}',
].join('\n');

const PROFILE = JSON.stringify({
  api: 'legacy',
  cleanrooms: {
    'Room A': { provider: { tables: { 'DB_A.S.T': ['X'] } }, templates: ['mp'] },
    'Room B': { provider: { tables: { 'DB_B.S.T': ['Y'] } }, templates: ['mp'] },
  },
  analyses: {
    single: {
      template: 'templates/mp.jinjasql',
      cleanrooms: ['Room A'],
      arguments: { source_table: ['DB_A.S.T'], my_table: ['ME.S.T'], dimensions: ['p1.X'] },
    },
    multi: {
      template: 'templates/mp.jinjasql',
      cleanrooms: ['Room A', 'Room B'],
      arguments: { source_table: ['Room A.DB_A.S.T', 'Room B.DB_B.S.T'], my_table: ['ME.S.T'], dimensions: ['p1.X', 'p2.Y'] },
    },
  },
});

function inputs(options: Partial<PreviewChoice>): PreviewInputs {
  return {
    model: parseDocument({ text: TEMPLATE, path: 'file:///w/templates/mp.jinjasql' }),
    version: 3,
    options: { bindMode: 'inline', ...options },
    name: 'mp.jinjasql',
    trusted: true,
    profile: { profile: parseProfile(PROFILE), label: '../cleanrooms.json', templatePath: 'templates/mp.jinjasql' },
    argsFile: null,
    suggestedArgsFile: 'mp.jinjasql.args.json',
  };
}

test('a single-room analysis: one section for its clean room', () => {
  const r = buildPreview(inputs({ analysis: 'single' }));
  assert.deepEqual(r.analyses, ['single', 'multi']);
  assert.equal(r.analysis, 'single');
  assert.equal(r.version, 3);
  assert.match(r.header.join('\n'), /Analysis: "single" from \.\.\/cleanrooms\.json/);
  assert.match(r.header.join('\n'), /Clean room: Room A/);
  assert.equal(r.sections.length, 1);
  assert.equal(r.sections[0]!.title, '-- cleanroom: Room A');
  assert.match(r.sections[0]!.sql, /JOIN IDENTIFIER\('DB_A\.S\.T'\) AS p1 ON TRUE/);
});

test('the first analysis is the default', () => {
  assert.equal(buildPreview(inputs({})).analysis, 'single');
  assert.equal(buildPreview(inputs({ analysis: 'no such analysis' })).analysis, 'single');
});

test('a multi-provider analysis: the cluster, then each room with only its source_table entries', () => {
  const r = buildPreview(inputs({ analysis: 'multi' }));
  assert.deepEqual(r.cleanrooms, ['Room A', 'Room B']);
  assert.match(r.header.join('\n'), /Clean rooms: Room A, Room B \(multi-provider/);
  assert.deepEqual(
    r.sections.map(s => [s.scope, s.cleanroom, s.title]),
    [
      ['cluster', null, '-- cluster: Room A, Room B'],
      ['cleanroom', 'Room A', '-- cleanroom: Room A'],
      ['cleanroom', 'Room B', '-- cleanroom: Room B'],
    ],
  );
  const [cluster, a, b] = r.sections.map(s => s.sql);
  assert.match(cluster!, /'Room A\.DB_A\.S\.T'\) AS p1 ON TRUE\nJOIN IDENTIFIER\('Room B\.DB_B\.S\.T'\) AS p2/);
  assert.match(a!, /'Room A\.DB_A\.S\.T'/);
  assert.doesNotMatch(a!, /DB_B/);
  assert.match(b!, /'Room B\.DB_B\.S\.T'\) AS p1/);
  assert.doesNotMatch(b!, /DB_A/);
  // Each section's SQL sits in the document text at its offset, under its title.
  for (const s of r.sections) {
    assert.equal(r.text.slice(s.offset, s.offset + s.sql.length), s.sql);
    assert.equal(r.text.slice(s.offset - s.title.length - 1, s.offset), s.title + '\n');
  }
});

test('one clean room only, on request', () => {
  const r = buildPreview(inputs({ analysis: 'multi', cleanroom: 'Room B' }));
  assert.deepEqual(
    r.sections.map(s => s.cleanroom),
    ['Room B'],
  );
  assert.match(r.header.join('\n'), /Showing only clean room Room B/);
});

test('placeholders: ? and the binds of each render', () => {
  const r = buildPreview(inputs({ analysis: 'multi', bindMode: 'placeholders' }));
  const room = r.sections[2]!;
  assert.equal(room.sql, 'SELECT IDENTIFIER(?), IDENTIFIER(?), COUNT(*)\nFROM IDENTIFIER(?) AS c\nJOIN IDENTIFIER(?) AS p1 ON TRUE\n');
  assert.deepEqual(
    room.binds!.map(b => b.value),
    ["'p1.X'", "'p2.Y'", "'ME.S.T'", "'Room B.DB_B.S.T'"],
  );
});

test('Restricted Mode renders nothing, even with a profile', () => {
  const r = buildPreview({ ...inputs({}), trusted: false });
  assert.deepEqual(r.sections, []);
  assert.match(r.text, /Restricted Mode/);
});
