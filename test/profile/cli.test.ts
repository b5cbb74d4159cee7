/**
 * `dcr check` and `dcr render --analysis` with profiles, through the built dist/dcr.js.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const DCR = resolve(__dirname, '../../dist/dcr.js');
const SEED = resolve(__dirname, '../fixtures/seed-workspace');
const ROOM1 = 'Samooha Cleanroom Multiprovider Clean Room 1';
const ROOM2 = 'Samooha Cleanroom Multiprovider Clean Room 2';
const ANALYSIS = 'overlap by status across both rooms';

const roots: string[] = [];
after(() => roots.forEach(r => rmSync(r, { recursive: true, force: true })));
function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'dcr-profile-'));
  roots.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, rel)), { recursive: true });
    writeFileSync(join(root, rel), text);
  }
  return root;
}
function dcr(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [DCR, ...args], { cwd, encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

interface Diag {
  code: string;
  line: number;
}

describe('dcr check with a profile', () => {
  test('the nearest cleanrooms.json applies, and its own findings are reported on it', () => {
    const r = dcr(['check', '--format', 'json', '.'], SEED);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout) as { files: { path: string; diagnostics: Diag[] }[] };
    const byPath = new Map(out.files.map(f => [f.path, f.diagnostics.filter(d => d.code.startsWith('DCR3'))]));
    assert.deepEqual(
      byPath.get('multiprovider_overlap_analysis.sql')!.map(d => [d.code, d.line]),
      [
        ['DCR302', 8],
        ['DCR302', 15],
        ['DCR302', 34],
        ['DCR302', 41],
      ],
    );
    assert.deepEqual(
      byPath.get('cleanrooms.json')!.map(d => [d.code, d.line]),
      [
        ['DCR302', 43],
        ['DCR302', 43],
      ],
    );
  });

  test('--profile FILE: template paths are relative to the profile folder', () => {
    const root = tree({
      'conf/rooms.json': JSON.stringify({
        cleanrooms: { R: { provider: { tables: { 'D.S.T': ['A', 'B'] }, columnPolicy: ['t:D.S.T:A'] }, templates: ['t'] } },
        analyses: { a: { template: '../tpl/t.jinjasql', cleanrooms: ['R'], arguments: { source_table: ['D.S.T'], col: 'p.B' } } },
      }),
      'tpl/t.jinjasql': 'SELECT IDENTIFIER({{ col | column_policy }}) FROM IDENTIFIER({{ source_table[0] }}) AS p',
    });
    const withProfile = dcr(['check', '--format', 'json', '--profile', 'conf/rooms.json', 'tpl'], root);
    assert.equal(withProfile.code, 1, withProfile.stderr);
    const files = JSON.parse(withProfile.stdout).files as { path: string; diagnostics: Diag[] }[];
    assert.deepEqual(
      files.find(f => f.path === 'tpl/t.jinjasql')!.diagnostics.map(d => [d.code, d.line]),
      [['DCR302', 1]],
    );
    // Without it there is no cleanrooms.json to find: no profile checks.
    const without = dcr(['check', '--format', 'json', 'tpl'], root);
    assert.equal(without.code, 0, without.stdout);
  });

  test('a profile that is not JSON is a configuration error', () => {
    const root = tree({ 'cleanrooms.json': '{ "cleanrooms": ', 't.jinjasql': 'SELECT 1' });
    const r = dcr(['check', 't.jinjasql'], root);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^dcr: profile .*cleanrooms\.json is not valid JSON: [^\n]+\n$/);
  });
});

describe('dcr render --analysis', () => {
  test('json: the cluster render and one render per clean room, each with its findings', () => {
    const r = dcr(['render', 'multiprovider_overlap_analysis.sql', '--analysis', ANALYSIS, '--format', 'json'], SEED);
    assert.equal(r.code, 1, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.version, 1);
    assert.equal(out.analysis, ANALYSIS);
    assert.deepEqual(
      out.renders.map((x: { scope: string; cleanroom: string | null; diagnostics: Diag[] }) => [
        x.scope,
        x.cleanroom,
        x.diagnostics.map(d => `${d.code}@${d.line}`),
      ]),
      [
        ['cluster', null, ['DCR302@15']],
        ['cleanroom', ROOM1, []],
        ['cleanroom', ROOM2, ['DCR302@8']],
      ],
    );
    // Each room's render holds only its own table.
    assert.match(out.renders[1].sql, new RegExp(`identifier\\('${ROOM1}\\.SAMOOHA_SAMPLE_DATABASE\\.DEMO\\.CUSTOMERS'\\) p1`));
    assert.doesNotMatch(out.renders[1].sql, /Clean Room 2/);
    assert.match(out.renders[0].sql, /Clean Room 1.*\n[^]*Clean Room 2/);
  });

  test('sql: one section per render, headed by its scope', () => {
    const r = dcr(['render', 'multiprovider_overlap_analysis.sql', '--analysis', ANALYSIS], SEED);
    assert.equal(r.code, 1);
    const headers = r.stdout.split('\n').filter(l => l.startsWith('-- c'));
    assert.deepEqual(headers, [`-- cluster: ${ROOM1}, ${ROOM2}`, `-- cleanroom: ${ROOM1}`, `-- cleanroom: ${ROOM2}`]);
    assert.match(r.stderr, /multiprovider_overlap_analysis\.sql:15:106: error DCR302 /);
  });

  test('--cleanroom picks one room; a clean room render exits 0', () => {
    const r = dcr(['render', 'multiprovider_overlap_analysis.sql', '--analysis', ANALYSIS, '--cleanroom', ROOM1, '--format', 'json'], SEED);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      JSON.parse(r.stdout).renders.map((x: { cleanroom: string }) => x.cleanroom),
      [ROOM1],
    );
  });

  test('usage errors', () => {
    const cases: [string[], RegExp][] = [
      [['--analysis', 'nope'], /no analysis 'nope'.*analyses: 'overlap by status across both rooms'/],
      [['--analysis', ANALYSIS, '--cleanroom', 'Elsewhere'], /does not run in clean room 'Elsewhere'/],
      [['--cleanroom', ROOM1], /--cleanroom needs --analysis/],
      [['--analysis', ANALYSIS, '--args', 'x.json'], /either --args FILE or --analysis NAME/],
    ];
    for (const [args, err] of cases) {
      const r = dcr(['render', 'multiprovider_overlap_analysis.sql', ...args], SEED);
      assert.equal(r.code, 2, args.join(' '));
      assert.match(r.stderr, err);
    }
  });

  test('--args FILE still renders one unnamed render', () => {
    const root = tree({ 't.jinjasql': 'SELECT {{ x }}', 'a.json': '{"x": 3.0}' });
    const r = dcr(['render', 't.jinjasql', '--args', 'a.json', '--format', 'json'], root);
    assert.equal(r.code, 0, r.stderr);
    const out = JSON.parse(r.stdout);
    assert.equal(out.analysis, null);
    assert.deepEqual(
      out.renders.map((x: { scope: string; cleanroom: null; sql: string }) => [x.scope, x.cleanroom, x.sql]),
      [['cleanroom', null, 'SELECT 3.0']],
    );
  });
});

describe("dcr check reads the editor's settings", () => {
  const TEMPLATE = 'SELECT {{ col | sqlsafe }} FROM IDENTIFIER({{ source_table[0] }}) AS p\n';
  const codes = (r: { stdout: string }) =>
    (JSON.parse(r.stdout) as { files: { diagnostics: { code: string; severity: string }[] }[] }).files.flatMap(f =>
      f.diagnostics.map(d => `${d.code}:${d.severity}`),
    );

  test('severities in .vscode/settings.json apply, from a subfolder too; a flag wins', () => {
    const root = tree({ 't/t.jinjasql': TEMPLATE, '.vscode/settings.json': '{ "cleanRoomTemplates.rules.severity": { "DCR103": "error" } }' });
    assert.deepEqual(codes(dcr(['check', '--format', 'json', '.'], root)), ['DCR103:error']);
    assert.deepEqual(codes(dcr(['check', '--format', 'json', '.'], join(root, 't'))), ['DCR103:error']);
    assert.deepEqual(codes(dcr(['check', '--format', 'json', '--severity', 'DCR103=off', '.'], root)), []);
  });

  test('a settings file that is not JSON is named on stderr and the defaults apply', () => {
    const root = tree({ 't.jinjasql': TEMPLATE, '.vscode/settings.json': '{ "cleanRoomTemplates.api": ' });
    const r = dcr(['check', '--format', 'json', '.'], root);
    assert.match(r.stderr, /settings\.json: not a JSON object; using the defaults/);
    assert.deepEqual(codes(r), ['DCR103:warning']);
  });
});
