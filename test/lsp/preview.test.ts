/**
 * "Preview Rendered SQL" through the built server over stdio: the preview request in each
 * argument mode, live `previewChanged` notifications, the never-stale guarantee and the
 * preview <-> template navigation.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TestClient, freshUri } from './harness.js';
import type { PreviewResult, PreviewOptions, TemplateRangeAtResult, PreviewRangesAtResult } from '../../server/src/shared/preview.js';

interface Lens {
  range: { start: { line: number; character: number } };
  command: { title: string; command: string; arguments: { uri: string; template: number; analysis?: string }[] };
}

const T = { timeout: 20_000 };

const OVERLAP = [
  'SELECT',
  '  {% for dim in dimensions %}',
  '  IDENTIFIER({{ dim | column_policy }}) AS dim_{{ loop.index }},',
  '  {% endfor %}',
  '  COUNT(DISTINCT p.HASHED_EMAIL) AS overlap',
  'FROM IDENTIFIER({{ source_table[0] }}) AS p',
  'JOIN IDENTIFIER({{ my_table[0] }}) AS c',
  '  ON IDENTIFIER({{ p_join_col | join_policy }}) = IDENTIFIER({{ c_join_col }})',
  'WHERE p.STATUS = {{ status }}',
].join('\n');

/** A loop and a macro: the navigation must follow both. */
const LOOP_MACRO = [
  '{% macro ident(col) %}IDENTIFIER({{ col | column_policy }}){% endmacro %}',
  'SELECT {% for d in dimensions %}{{ ident(d) }}{% if not loop.last %}, {% endif %}{% endfor %}',
  'FROM IDENTIFIER({{ source_table[0] }}) AS p',
].join('\n');

function preview(client: TestClient, options: PreviewOptions): Promise<PreviewResult> {
  return client.conn.sendRequest('cleanRoomTemplates/preview', options);
}

/** Resolves on the next previewChanged for `uri` (registered before the trigger). */
function nextPreviewChanged(client: TestClient, uri: string): Promise<void> {
  return new Promise(resolve => {
    const sub = client.conn.onNotification('cleanRoomTemplates/previewChanged', (p: { uri: string }) => {
      if (p.uri === uri) {
        sub.dispose();
        resolve();
      }
    });
  });
}

function posOf(text: string, offset: number) {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length - 1, character: before[before.length - 1]!.length };
}
function offsetOf(text: string, pos: { line: number; character: number }): number {
  const lines = text.split('\n');
  let o = 0;
  for (let i = 0; i < pos.line; i++) o += lines[i]!.length + 1;
  return o + pos.character;
}

describe('preview over LSP', () => {
  let client: TestClient;
  let dir: string;
  before(async () => {
    client = await TestClient.start({ settings: { diagnostics: { debounceMs: 20 } } });
    dir = mkdtempSync(join(tmpdir(), 'dcr-preview-'));
  });
  after(() => {
    client?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  test('without a profile or args file it renders sample values and says so', T, async () => {
    const uri = freshUri('overlap.jinjasql');
    await client.open(uri, OVERLAP);
    const r = await preview(client, { uri, bindMode: 'inline' });
    assert.equal(r.version, 1);
    assert.deepEqual(r.analyses, []);
    assert.equal(r.sections.length, 1);
    assert.match(r.header.join('\n'), /SAMPLE values/);
    assert.match(r.header.join('\n'), /overlap\.jinjasql\.args\.json/);
    assert.match(r.header.join('\n'), /Binds: inlined/);
    const sql = r.sections[0]!.sql;
    assert.match(sql, /IDENTIFIER\('p\.DIMENSIONS_1'\) AS dim_1,/);
    assert.match(sql, /IDENTIFIER\('p\.DIMENSIONS_2'\) AS dim_2,/);
    assert.match(sql, /FROM IDENTIFIER\('SAMPLE_DB\.SCHEMA\.SOURCE_TABLE_1'\) AS p/);
    assert.match(sql, /IDENTIFIER\('p\.JOIN_COL'\) = IDENTIFIER\('c\.JOIN_COL'\)/);
    // The document text holds the header, then the section's SQL exactly at its offset.
    assert.equal(r.text.slice(r.sections[0]!.offset, r.sections[0]!.offset + sql.length), sql);
    assert.ok(r.text.startsWith(r.header.join('\n')));
  });

  test("a sample value written after the template's own alias is a bare column name", T, async () => {
    const uri = freshUri('bare.jinjasql');
    await client.open(uri, 'SELECT c.{{ c_col | sqlsafe | column_policy }}, p.{{ dims[0] | sqlsafe }} FROM t AS c');
    const r = await preview(client, { uri, bindMode: 'inline' });
    assert.equal(r.sections[0]!.sql, 'SELECT c.COL, p.DIMS_1 FROM t AS c');
  });

  test('an args file beside the template gives the values', T, async () => {
    const file = join(dir, 'with_args.jinjasql');
    writeFileSync(file, OVERLAP);
    writeFileSync(
      file + '.args.json',
      JSON.stringify({
        dimensions: ['p.STATUS', 'p.REGION_CODE', 'p.AGE_BAND'],
        source_table: ['DB.S.CUSTOMERS'],
        my_table: ['MINE.S.T'],
        p_join_col: 'p.HASHED_EMAIL',
        c_join_col: 'c.HASHED_EMAIL',
        status: 'ACTIVE',
      }),
    );
    const uri = pathToFileURL(file).href;
    await client.open(uri, OVERLAP);
    const r = await preview(client, { uri, bindMode: 'inline' });
    assert.match(r.header.join('\n'), /Arguments: from with_args\.jinjasql\.args\.json/);
    const sql = r.sections[0]!.sql;
    assert.match(sql, /IDENTIFIER\('p\.AGE_BAND'\) AS dim_3,/);
    assert.match(sql, /WHERE p\.STATUS = 'ACTIVE'/);
    assert.equal(r.sections[0]!.scope, 'arguments');
  });

  test('an args file that is not valid JSON is reported, not rendered with made-up values', T, async () => {
    const file = join(dir, 'bad_args.jinjasql');
    writeFileSync(file, OVERLAP);
    writeFileSync(file + '.args.json', '{ "dimensions": [ }');
    const uri = pathToFileURL(file).href;
    await client.open(uri, OVERLAP);
    const r = await preview(client, { uri, bindMode: 'inline' });
    assert.match(r.header.join('\n'), /not valid JSON/);
    assert.match(r.sections[0]!.error ?? '', /bad_args\.jinjasql\.args\.json/);
    assert.equal(r.sections[0]!.sql, '');
  });

  test('placeholders mode shows ? and the bind list; segments stay exact', T, async () => {
    const uri = freshUri('placeholders.jinjasql');
    const text = 'SELECT {{ a }}, x FROM t WHERE y IN {{ ids | inclause }} AND z = {{ a }}';
    await client.open(uri, text);
    const inline = await preview(client, { uri, bindMode: 'inline' });
    const r = await preview(client, { uri, bindMode: 'placeholders' });
    assert.match(r.header.join('\n'), /`\?` placeholders/);
    const s = r.sections[0]!;
    assert.equal(s.sql, 'SELECT ?, x FROM t WHERE y IN (?,?) AND z = ?');
    assert.deepEqual(
      s.binds?.map(b => b.value),
      ["'p.A'", "'p.IDS_1'", "'p.IDS_2'", "'p.A'"],
    );
    assert.match(r.text, /-- binds \(4\):\n--   1\. 'p\.A'  \(a_1\)/);
    assert.equal(inline.sections[0]!.binds, undefined);
    // Every segment's text in `?` form matches its source: binds are `?`, text is verbatim.
    for (const seg of s.segments) {
      const out = s.sql.slice(seg.start, seg.end);
      if (seg.kind === 'text') assert.equal(out, text.slice(seg.source.start, seg.source.end));
      if (seg.kind === 'bind') assert.equal(out, '?');
    }
    const inclause = s.segments.find(g => text.slice(g.source.start, g.source.end) === '{{ ids | inclause }}');
    assert.equal(s.sql.slice(inclause!.start, inclause!.end), '(?,?)');
  });

  test('without segments: the same preview text, no source map on the wire, navigation still answered by the server', T, async () => {
    const uri = freshUri('lean.jinjasql');
    const text = 'SELECT {{ a }}, x FROM t WHERE y = {{ b }}';
    await client.open(uri, text);
    const full = await preview(client, { uri, bindMode: 'inline' });
    const lean = await preview(client, { uri, bindMode: 'inline', segments: false });
    assert.ok(full.sections[0]!.segments.length > 0);
    assert.deepEqual(
      lean.sections.map(x => x.segments),
      [[]],
    );
    assert.equal(lean.text, full.text);
    assert.equal(lean.sections[0]!.sql, full.sections[0]!.sql);
    const at = lean.text.indexOf("'p.B'");
    const hit = (await client.conn.sendRequest('cleanRoomTemplates/templateRangeAt', {
      uri,
      bindMode: 'inline',
      segments: false,
      version: lean.version,
      offset: at,
    })) as {
      range: { start: { character: number } };
    } | null;
    assert.equal(hit?.range.start.character, text.indexOf('{{ b }}'));
  });

  test('rapid edits: every response is of the current version, never an older one', T, async () => {
    const uri = freshUri('rapid.jinjasql');
    let text = 'SELECT {{ c0 }}';
    await client.open(uri, text);
    const pending: Promise<PreviewResult>[] = [];
    const expected: number[] = [];
    for (let i = 1; i <= 15; i++) {
      const next = `SELECT {{ c${i} }}`;
      await client.change(uri, next, text);
      text = next;
      expected.push(client.version(uri));
      pending.push(preview(client, { uri, bindMode: 'inline' }));
    }
    const results = await Promise.all(pending);
    results.forEach((r, i) => {
      assert.ok(r.version >= expected[i]!, `response ${i} is of version ${r.version}, older than ${expected[i]}`);
      // The SQL belongs to the version it claims.
      assert.match(r.sections[0]!.sql, new RegExp(`'p\\.C${r.version - 1}'`));
    });
    assert.equal(results[results.length - 1]!.version, client.version(uri));
  });

  test('previewChanged follows an edit of a previewed template (debounced), and the args file', T, async () => {
    const file = join(dir, 'live.jinjasql');
    writeFileSync(file, 'SELECT {{ a }}');
    const uri = pathToFileURL(file).href;
    await client.open(uri, 'SELECT {{ a }}');
    await preview(client, { uri, bindMode: 'inline' });
    const t0 = performance.now();
    const changed = nextPreviewChanged(client, uri);
    await client.change(uri, 'SELECT {{ b }}', 'SELECT {{ a }}');
    await changed;
    const r = await preview(client, { uri, bindMode: 'inline' });
    const ms = performance.now() - t0;
    assert.equal(r.version, 2);
    assert.match(r.sections[0]!.sql, /'p\.B'/);
    console.log(`# preview latency: edit -> previewChanged -> new preview in ${ms.toFixed(1)} ms (debounce 20 ms)`);

    const argsChanged = nextPreviewChanged(client, uri);
    writeFileSync(file + '.args.json', '{"b": "from the args file"}');
    await argsChanged;
    const r2 = await preview(client, { uri, bindMode: 'inline' });
    assert.equal(r2.sections[0]!.sql, "SELECT 'from the args file'");
  });

  test('preview offset -> template range, through a loop and a macro', T, async () => {
    const uri = freshUri('nav.jinjasql');
    await client.open(uri, LOOP_MACRO);
    const options: PreviewOptions = { uri, bindMode: 'inline' };
    const r = await preview(client, options);
    const s = r.sections[0]!;
    // The macro line's newline is output (Jinja keeps it), hence the leading blank line.
    assert.equal(s.sql, "\nSELECT IDENTIFIER('p.DIMENSIONS_1'), IDENTIFIER('p.DIMENSIONS_2')\nFROM IDENTIFIER('SAMPLE_DB.SCHEMA.SOURCE_TABLE_1') AS p");
    const at = async (needle: string, nth = 0): Promise<TemplateRangeAtResult | null> => {
      let o = -1;
      for (let i = 0; i <= nth; i++) o = s.sql.indexOf(needle, o + 1);
      assert.ok(o >= 0, needle);
      return client.conn.sendRequest('cleanRoomTemplates/templateRangeAt', { ...options, version: r.version, offset: s.offset + o + 1 });
    };
    const slice = (range: { start: { line: number; character: number }; end: { line: number; character: number } }) =>
      LOOP_MACRO.slice(offsetOf(LOOP_MACRO, range.start), offsetOf(LOOP_MACRO, range.end));
    // The second loop iteration's value came from `{{ col | column_policy }}` inside the macro,
    // called from `{{ ident(d) }}`.
    const value = await at("'p.DIMENSIONS_2'");
    assert.ok(value);
    assert.equal(slice(value.range), '{{ col | column_policy }}');
    assert.ok(value.via.map(slice).includes('{{ ident(d) }}'), JSON.stringify(value.via.map(slice)));
    const ident = await at('IDENTIFIER(', 1);
    assert.equal(slice(ident!.range), 'IDENTIFIER(');
    assert.ok(offsetOf(LOOP_MACRO, ident!.range.start) < LOOP_MACRO.indexOf('{% endmacro'), 'the text comes from the macro body');
    assert.deepEqual(ident!.via.map(slice), ['{{ ident(d) }}']);
    const sep = await at(', ');
    assert.equal(slice(sep!.range), ', ');
    const from = await at('FROM');
    assert.match(slice(from!.range), /^\nFROM IDENTIFIER\($/);
    // The header produced nothing in the template.
    const none: TemplateRangeAtResult | null = await client.conn.sendRequest('cleanRoomTemplates/templateRangeAt', {
      ...options,
      version: r.version,
      offset: 2,
    });
    assert.equal(none, null);
    // A preview of an older version never navigates.
    const stale: TemplateRangeAtResult | null = await client.conn.sendRequest('cleanRoomTemplates/templateRangeAt', {
      ...options,
      version: r.version + 7,
      offset: s.offset + 3,
    });
    assert.equal(stale, null);
  });

  test('template position -> preview ranges, through a loop and a macro', T, async () => {
    const uri = freshUri('nav2.jinjasql');
    await client.open(uri, LOOP_MACRO);
    const options: PreviewOptions = { uri, bindMode: 'inline' };
    const r = await preview(client, options);
    const ranges = async (needle: string, delta = 1): Promise<string[]> => {
      const o = LOOP_MACRO.indexOf(needle);
      assert.ok(o >= 0, needle);
      const res: PreviewRangesAtResult | null = await client.conn.sendRequest('cleanRoomTemplates/previewRangesAt', {
        ...options,
        version: r.version,
        position: posOf(LOOP_MACRO, o + delta),
      });
      assert.ok(res);
      return res.ranges.map(x => r.text.slice(x.start, x.end));
    };
    // Inside the macro body: one range per call (one per loop iteration).
    assert.deepEqual(await ranges('{{ col | column_policy }}', 3), ["'p.DIMENSIONS_1'", "'p.DIMENSIONS_2'"]);
    // The call site: everything each call produced.
    assert.deepEqual(await ranges('{{ ident(d) }}', 3), ["IDENTIFIER('p.DIMENSIONS_1')", "IDENTIFIER('p.DIMENSIONS_2')"]);
    // The loop tag: the whole loop output.
    assert.deepEqual(await ranges('{% for d in dimensions %}', 3), ["IDENTIFIER('p.DIMENSIONS_1'), IDENTIFIER('p.DIMENSIONS_2')"]);
    assert.deepEqual(await ranges('{{ source_table[0] }}', 3), ["'SAMPLE_DB.SCHEMA.SOURCE_TABLE_1'"]);
  });

  test('an embedded worksheet template maps to its host offsets', T, async () => {
    const uri = freshUri('worksheet.sql');
    const ws = [
      "CALL samooha_by_snowflake_local_db.consumer.create_template_request('my_room', 'my_template',",
      '$$SELECT {% for d in dims %}{{ d }} {% endfor %}FROM t$$);',
    ].join('\n');
    await client.open(uri, ws, 'sql');
    const lenses: Lens[] = await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(
      lenses.map(l => [l.command.title, l.command.command, l.range.start]),
      [['Preview SQL', 'cleanRoomTemplates.previewSql', { line: 1, character: 2 }]],
    );
    assert.deepEqual(lenses[0]!.command.arguments, [{ uri, template: 0 }]);
    const options: PreviewOptions = { uri, bindMode: 'inline', template: 0 };
    const r = await preview(client, options);
    const s = r.sections[0]!;
    assert.equal(s.sql, "SELECT 'p.DIMS_1' 'p.DIMS_2' FROM t");
    const hit: TemplateRangeAtResult | null = await client.conn.sendRequest('cleanRoomTemplates/templateRangeAt', {
      ...options,
      version: r.version,
      offset: s.offset + s.sql.indexOf("'p.DIMS_2'"),
    });
    assert.equal(ws.slice(offsetOf(ws, hit!.range.start), offsetOf(ws, hit!.range.end)), '{{ d }}');
    const back: PreviewRangesAtResult | null = await client.conn.sendRequest('cleanRoomTemplates/previewRangesAt', {
      ...options,
      version: r.version,
      position: posOf(ws, ws.indexOf('{{ d }}') + 2),
    });
    assert.deepEqual(
      back!.ranges.map(x => r.text.slice(x.start, x.end)),
      ["'p.DIMS_1'", "'p.DIMS_2'"],
    );
  });

  test('Restricted Mode: no rendering, a clear message', T, async () => {
    const restricted = await TestClient.start({ trusted: false });
    try {
      const uri = freshUri('restricted.jinjasql');
      await restricted.open(uri, OVERLAP);
      const r = await preview(restricted, { uri, bindMode: 'inline' });
      assert.deepEqual(r.sections, []);
      assert.match(r.text, /Restricted Mode/);
    } finally {
      restricted.kill();
    }
  });
});

describe('preview with a profile over LSP', () => {
  const MP = [
    'SELECT {% for d in dimensions %}IDENTIFIER({{ d | column_policy }}), {% endfor %}COUNT(*)',
    'FROM IDENTIFIER({{ my_table[0] }}) AS c',
    '{% for t in source_table %}JOIN IDENTIFIER({{ t }}) AS p{{ loop.index | sqlsafe }} ON TRUE',
    '{% endfor %}',
  ].join('\n');
  const profile = (singleDimension: string) =>
    JSON.stringify(
      {
        api: 'legacy',
        cleanrooms: {
          'Room A': { provider: { tables: { 'DB_A.S.T': ['X', 'Z'] } }, templates: ['mp'] },
          'Room B': { provider: { tables: { 'DB_B.S.T': ['Y'] } }, templates: ['mp'] },
        },
        analyses: {
          single: {
            template: 'templates/mp.jinjasql',
            cleanrooms: ['Room A'],
            arguments: { source_table: ['DB_A.S.T'], my_table: ['ME.S.T'], dimensions: [singleDimension] },
          },
          multi: {
            template: 'templates/mp.jinjasql',
            cleanrooms: ['Room A', 'Room B'],
            arguments: { source_table: ['Room A.DB_A.S.T', 'Room B.DB_B.S.T'], my_table: ['ME.S.T'], dimensions: ['p1.X', 'p2.Y'] },
          },
        },
      },
      null,
      2,
    );
  let client: TestClient;
  let dir: string;
  let uri: string;
  let profileUri: string;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dcr-preview-profile-'));
    mkdirSync(join(dir, 'templates'));
    writeFileSync(join(dir, 'cleanrooms.json'), profile('p1.X'));
    writeFileSync(join(dir, 'templates', 'mp.jinjasql'), MP);
    uri = pathToFileURL(join(dir, 'templates', 'mp.jinjasql')).href;
    profileUri = pathToFileURL(join(dir, 'cleanrooms.json')).href;
    client = await TestClient.start({ settings: { diagnostics: { debounceMs: 20 } } });
    await client.open(uri, MP);
  });
  after(() => {
    client?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  test('a single-room analysis: its arguments, one section for its room', T, async () => {
    const r = await preview(client, { uri, bindMode: 'inline', analysis: 'single' });
    assert.deepEqual(r.analyses, ['single', 'multi']);
    assert.equal(r.analysis, 'single');
    assert.match(r.header.join('\n'), /Analysis: "single" from \.\.\/cleanrooms\.json/);
    assert.deepEqual(
      r.sections.map(s => s.title),
      ['-- cleanroom: Room A'],
    );
    assert.match(r.sections[0]!.sql, /IDENTIFIER\('p1\.X'\), COUNT\(\*\)/);
    const lenses: Lens[] = await client.conn.sendRequest('textDocument/codeLens', { textDocument: { uri } });
    assert.deepEqual(
      lenses.map(l => l.command.title),
      ['Preview SQL', '▶ single', '▶ multi'],
    );
    assert.deepEqual(lenses[2]!.command.arguments, [{ uri, template: 0, analysis: 'multi' }]);
    // An editor without a preview of its own runs the lens on the server and gets the preview.
    const viaServer: PreviewResult = await client.conn.sendRequest('workspace/executeCommand', {
      command: lenses[2]!.command.command,
      arguments: lenses[2]!.command.arguments,
    });
    assert.equal(viaServer.analysis, 'multi');
    assert.deepEqual(
      viaServer.sections.map(s => s.title),
      ['-- cluster: Room A, Room B', '-- cleanroom: Room A', '-- cleanroom: Room B'],
    );
  });

  test('a multi-provider analysis: cluster, then each room with its own source_table entries', T, async () => {
    const r = await preview(client, { uri, bindMode: 'inline', analysis: 'multi' });
    assert.deepEqual(
      r.sections.map(s => s.title),
      ['-- cluster: Room A, Room B', '-- cleanroom: Room A', '-- cleanroom: Room B'],
    );
    assert.match(r.sections[0]!.sql, /'Room A\.DB_A\.S\.T'\) AS p1 ON TRUE\nJOIN IDENTIFIER\('Room B\.DB_B\.S\.T'\) AS p2/);
    assert.doesNotMatch(r.sections[1]!.sql, /DB_B/);
    assert.match(r.sections[2]!.sql, /JOIN IDENTIFIER\('Room B\.DB_B\.S\.T'\) AS p1 ON TRUE\n$/);
    const placeholders = await preview(client, { uri, bindMode: 'placeholders', analysis: 'multi', cleanroom: 'Room B' });
    assert.deepEqual(
      placeholders.sections.map(s => s.cleanroom),
      ['Room B'],
    );
    assert.deepEqual(
      placeholders.sections[0]!.binds!.map(b => b.value),
      ["'p1.X'", "'p2.Y'", "'ME.S.T'", "'Room B.DB_B.S.T'"],
    );
  });

  test('previewChanged follows a profile change, and the preview shows the new arguments', T, async () => {
    await preview(client, { uri, bindMode: 'inline', analysis: 'single' });
    const changed = nextPreviewChanged(client, uri);
    writeFileSync(join(dir, 'cleanrooms.json'), profile('p1.Z'));
    // What VS Code's file watcher reports to a server that watches the profile.
    await client.conn.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: profileUri, type: 2 }] });
    await changed;
    const r = await preview(client, { uri, bindMode: 'inline', analysis: 'single' });
    assert.match(r.sections[0]!.sql, /IDENTIFIER\('p1\.Z'\)/);
  });
});
