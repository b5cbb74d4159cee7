/**
 * The language server over stdio: diagnostics are published for the right version, with
 * the right shape, and never stale.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver-protocol';
import { clientPool, freshUri } from './harness.js';
import { analyzeDocument, parseDocument } from '../../core/src/index.js';

const T = { timeout: 15_000 };
const BROKEN = 'SELECT a\nFROM t\nWHERE b = {{ x ';
// A bound value compared in WHERE: the canonical safe JinjaSQL use, clean under any rule.
const FIXED = 'SELECT a\nFROM t\nWHERE b = {{ x }}';

function onlyDcr001(diags: Diagnostic[]): Diagnostic {
  assert.equal(diags.length, 1, JSON.stringify(diags));
  return diags[0]!;
}

describe('diagnostics', () => {
  const start = clientPool();

  test('initialize advertises incremental sync and names the server', T, async () => {
    const c = await start();
    const sync = c.initializeResult.capabilities.textDocumentSync;
    assert.equal(typeof sync === 'object' ? sync.change : sync, 2);
    assert.equal(c.initializeResult.serverInfo?.name, 'dcr-language-server');
  });

  test('a broken template gets DCR001 with source, code link, severity and range', T, async () => {
    const c = await start();
    const uri = freshUri();
    await c.open(uri, BROKEN);
    const d = onlyDcr001((await c.waitForLatest(uri)).diagnostics);
    assert.equal(d.code, 'DCR001');
    assert.equal(d.source, 'clean-room');
    assert.equal(d.severity, DiagnosticSeverity.Error);
    assert.equal(d.codeDescription?.href, 'https://github.com/clean-room-templates/clean-room-templates/blob/main/docs/rules/DCR001.md');
    // Any faithful parser places this on the unterminated `{{ x ` of line 3, never before it.
    assert.equal(d.range.start.line, 2);
    assert.ok(d.range.start.character >= 10, JSON.stringify(d.range));
    assert.ok(d.range.end.line === 2 && d.range.end.character <= 15, JSON.stringify(d.range));
  });

  test('an unclosed block is reported at its opening tag', T, async () => {
    const c = await start();
    const uri = freshUri();
    await c.open(uri, 'SELECT 1\n{% if x %}\nSELECT 2');
    const d = onlyDcr001((await c.waitForLatest(uri)).diagnostics);
    assert.equal(d.code, 'DCR001');
    assert.deepEqual(d.range, { start: { line: 1, character: 0 }, end: { line: 1, character: 10 } });
  });

  test('every syntax error is published, not only the first', T, async () => {
    const c = await start();
    const uri = freshUri();
    await c.open(uri, '{% for %}{{ }}{% endif %}');
    const diags = (await c.waitForLatest(uri)).diagnostics;
    assert.ok(diags.length >= 3, JSON.stringify(diags));
    assert.ok(diags.every(d => d.code === 'DCR001' && d.source === 'clean-room'));
  });

  test('fixing the text clears the diagnostics for the new version', T, async () => {
    const c = await start();
    const uri = freshUri();
    await c.open(uri, BROKEN);
    assert.equal((await c.waitForLatest(uri)).diagnostics.length, 1);
    await c.change(uri, FIXED, BROKEN);
    const p = await c.waitForLatest(uri);
    assert.equal(p.version, 2);
    assert.deepEqual(p.diagnostics, []);
  });

  test('incremental edits are applied: inserting the closing braces fixes it', T, async () => {
    const c = await start();
    const uri = freshUri();
    await c.open(uri, BROKEN);
    await c.waitForLatest(uri);
    await c.insert(uri, 2, 15, '}}');
    assert.deepEqual((await c.waitForLatest(uri)).diagnostics, []);
  });

  test('rapid edits publish only the latest version, never a stale one', T, async () => {
    const c = await start({ settings: { diagnostics: { debounceMs: 100 } } });
    const uri = freshUri();
    let text = 'SELECT {{ a }}';
    await c.open(uri, text);
    for (let i = 1; i <= 20; i++) {
      // Each version breaks at a different column, so a stale result would be visible.
      const next = `SELECT ${' '.repeat(i)}{{ a `;
      await c.change(uri, next, text);
      text = next;
    }
    const p = await c.waitForLatest(uri);
    assert.equal(p.version, 21);
    assert.ok(onlyDcr001(p.diagnostics).range.start.character >= 27);
    assert.deepEqual(c.stalePublishes, []);
    assert.deepEqual(
      c.published.filter(x => x.uri === uri).map(x => x.version),
      [21],
    );
  });

  test('closing a document clears its diagnostics', T, async () => {
    const c = await start();
    const uri = freshUri();
    await c.open(uri, BROKEN);
    await c.waitForLatest(uri);
    const cleared = c.waitForDiagnostics(uri, p => p.version === undefined && p.diagnostics.length === 0);
    await c.close(uri);
    assert.deepEqual((await cleared).diagnostics, []);
  });

  test('per-resource severity settings apply and are re-read on didChangeConfiguration', T, async () => {
    const c = await start();
    const uri = freshUri();
    await c.open(uri, BROKEN);
    assert.equal(onlyDcr001((await c.waitForLatest(uri)).diagnostics).severity, DiagnosticSeverity.Error);
    const n = c.published.length;
    await c.changeSettings({ diagnostics: { debounceMs: 0 }, rules: { severity: { DCR001: 'warning' } } });
    const warned = await c.waitForDiagnostics(uri, p => c.published.indexOf(p) >= n);
    assert.equal(onlyDcr001(warned.diagnostics).severity, DiagnosticSeverity.Warning);
    const m = c.published.length;
    await c.changeSettings({ diagnostics: { debounceMs: 0 }, rules: { severity: { DCR001: 'off' } } });
    assert.deepEqual((await c.waitForDiagnostics(uri, p => c.published.indexOf(p) >= m)).diagnostics, []);
  });

  test('malformed settings fall back to defaults instead of failing', T, async () => {
    const c = await start({ settings: { api: 42, rules: { severity: { DCR001: 'loud' } }, diagnostics: { debounceMs: 'soon' } } });
    const uri = freshUri();
    await c.open(uri, BROKEN);
    assert.equal(onlyDcr001((await c.waitForLatest(uri)).diagnostics).severity, DiagnosticSeverity.Error);
  });

  test('worksheets and YAML files without templates yield no findings', T, async () => {
    const c = await start();
    const sql = freshUri('plain.sql');
    const yaml = freshUri('spec.yaml');
    await c.open(sql, 'SELECT {{ not a template here', 'sql');
    await c.open(yaml, 'name: x\n', 'yaml');
    assert.deepEqual((await c.waitForLatest(sql)).diagnostics, []);
    assert.deepEqual((await c.waitForLatest(yaml)).diagnostics, []);
  });
});

// A worksheet in the editor shows exactly what `dcr check` reports on it: the same engine,
// the same host forms, the same places (here through a REGISTER_TEMPLATE spec in $$).
describe('worksheets: the editor shows the same findings as dcr check', () => {
  const start = clientPool();
  const sheets: { name: string; text: string; codes: string[] }[] = [
    {
      name: 'REGISTER_TEMPLATE with the spec in $$',
      text: 'USE SECONDARY ROLES NONE;\nCALL samooha_by_snowflake_local_db.registry.register_template($$\napi_version: 2.0.0\nspec_type: template\nname: t\nversion: v1\ntype: sql_analysis\ntemplate: |\n  SELECT p1.{{ grp | sqlsafe }} AS g, COUNT(*) AS n\n  FROM IDENTIFIER({{ source_table[0] }}) AS p1\n  GROUP BY g\n$$);\n',
      codes: ['DCR103'],
    },
    {
      name: 'clean room calls without a template',
      text: "CALL samooha_by_snowflake_local_db.consumer.run_analysis($cr, 't', [], [], object_construct());\n",
      codes: ['DCR407'],
    },
  ];
  for (const s of sheets) {
    test(s.name, T, async () => {
      const c = await start();
      const uri = freshUri('sheet.sql');
      await c.open(uri, s.text, 'sql');
      const got = (await c.waitForLatest(uri)).diagnostics.map(d => ({ code: d.code, range: d.range }));
      const model = parseDocument({ text: s.text, path: 'sheet.sql', languageId: 'sql' });
      const want = analyzeDocument(model).map(f => ({
        code: f.code,
        range: { start: model.lines.positionAt(f.span.start), end: model.lines.positionAt(f.span.end) },
      }));
      assert.deepEqual(
        want.map(w => w.code),
        s.codes,
      );
      assert.deepEqual(got, want);
    });
  }
});
