// The packaged extension inside a real VS Code extension host (code-server 1.100.3 in CI, or
// desktop VS Code through @vscode/test-electron). Only the `vscode` API is used.
'use strict';
const assert = require('assert');
const fs = require('fs');
const vscode = require('vscode');
const h = require('./helpers');

const BROKEN_IF = '{% if where_clause %}';

suite('Clean Room Templates in a real VS Code extension host', function () {
  let ext = vscode.extensions.getExtension(h.EXTENSION_ID);
  let api;
  /** The extension's API; activates it if an earlier test did not (e.g. with E2E_GREP). */
  async function getApi() {
    if (!api) api = await h.withTimeout(Promise.resolve(ext.activate()), 30000, 'extension activation');
    return api;
  }

  suiteSetup(function () {
    console.log(
      `[e2e-suite] vscode ${vscode.version}, uiKind=${vscode.env.uiKind === vscode.UIKind.Web ? 'web' : 'desktop'}, ` +
        `appHost=${vscode.env.appHost}, remoteName=${vscode.env.remoteName}, node ${process.version}`,
    );
  });

  test('the extension is installed, with the jinjasql language contributed', function () {
    ext = vscode.extensions.getExtension(h.EXTENSION_ID);
    assert.ok(ext, `extension ${h.EXTENSION_ID} is not installed`);
    const langs = (ext.packageJSON.contributes && ext.packageJSON.contributes.languages) || [];
    assert.ok(
      langs.some(l => l.id === h.LANGUAGE_ID),
      'package.json does not contribute the jinjasql language',
    );
    // In this workspace `workspaceContains:**/cleanrooms.json` activates the extension at startup;
    // in a folder without a profile only onLanguage:jinjasql does (it must be listed explicitly).
    assert.ok((ext.packageJSON.activationEvents || []).includes('onLanguage:jinjasql'), 'activationEvents lacks onLanguage:jinjasql');
    console.log(`[e2e-suite] extension at ${ext.extensionPath} (version ${ext.packageJSON.version})`);
  });

  test('activates on a .jinjasql file, exports { client, isReady } and isReady() resolves', async function () {
    const t0 = Date.now();
    const doc = await h.open('templates/overlap_analysis.jinjasql');
    assert.strictEqual(doc.languageId, h.LANGUAGE_ID);
    api = await h.withTimeout(Promise.resolve(ext.activate()), 30000, 'extension activation');
    assert.ok(ext.isActive, 'extension is not active after activate()');
    assert.ok(api && typeof api === 'object', 'activate() returned no API object');
    assert.strictEqual(typeof api.isReady, 'function', 'API has no isReady()');
    assert.ok('client' in api, 'API has no client');
    await h.withTimeout(api.isReady(), 30000, 'api.isReady()');
    console.log(`[e2e-suite] activation + language server ready: ${Date.now() - t0} ms after opening the first template`);
  });

  for (const rel of ['templates/overlap_analysis.jinjasql', 'templates/simple.jinja.sql', 'templates/simple.sql.j2', 'templates/simple.sql.jinja']) {
    test(`languageId of ${rel.slice(rel.indexOf('.'))} files is jinjasql`, async function () {
      const doc = await vscode.workspace.openTextDocument(h.fixture(rel));
      assert.strictEqual(doc.languageId, h.LANGUAGE_ID, `${rel} opened as ${doc.languageId}`);
    });
  }

  test('a block left open gets one DCR001 error at its opening tag', async function () {
    const doc = await h.open('templates/broken.jinjasql');
    const diags = await h.waitForDiagnostics(doc.uri, ds => h.ours(ds, 'DCR001').length > 0, 'DCR001');
    const errs = h.ours(diags, 'DCR001');
    assert.strictEqual(errs.length, 1, `expected exactly one DCR001, got ${h.describeDiags(diags)}`);
    const d = errs[0];
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.source, 'clean-room');
    const start = doc.getText().indexOf(BROKEN_IF);
    const expected = new vscode.Range(doc.positionAt(start), doc.positionAt(start + BROKEN_IF.length));
    assert.deepStrictEqual(
      [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
      [expected.start.line, expected.start.character, expected.end.line, expected.end.character],
      `DCR001 range (0-based line, char) differs: ${h.describeDiags([d])}`,
    );
    const href = h.hrefOf(d);
    assert.ok(href && /docs\/rules\/DCR001\.md$/.test(href), `codeDescription.href should point at docs/rules/DCR001.md, got ${href}`);
    assert.match(d.message, /endif/, 'the message should name the missing end tag');
  });

  test('an unterminated {{ gets DCR001 starting at the {{ (.jinja.sql)', async function () {
    const doc = await h.open('templates/unterminated.jinja.sql');
    const diags = await h.waitForDiagnostics(doc.uri, ds => h.ours(ds, 'DCR001').length > 0, 'DCR001');
    const d = h.ours(diags, 'DCR001')[0];
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    const start = doc.positionAt(doc.getText().indexOf('{{'));
    assert.deepStrictEqual(
      [d.range.start.line, d.range.start.character],
      [start.line, start.character],
      `DCR001 should start at the unterminated {{: ${h.describeDiags([d])}`,
    );
    assert.ok(d.range.end.isAfterOrEqual(start.translate(0, 2)), 'the range should cover the {{');
  });

  test('fixing the text clears DCR001, breaking it again brings it back', async function () {
    const broken = fs.readFileSync(h.fixture('templates/broken.jinjasql').fsPath, 'utf8');
    const uri = h.scratchFile('.jinjasql', broken);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    assert.strictEqual(doc.languageId, h.LANGUAGE_ID);
    await h.waitForDiagnostics(uri, ds => h.ours(ds, 'DCR001').length === 1, 'DCR001 on the scratch copy');
    await h.setText(doc, broken + '{% endif %}\n');
    await h.waitForDiagnostics(uri, ds => h.ours(ds, 'DCR001').length === 0, 'DCR001 to clear after adding {% endif %}');
    await h.setText(doc, broken);
    await h.waitForDiagnostics(uri, ds => h.ours(ds, 'DCR001').length === 1, 'DCR001 to come back after removing {% endif %}');
    await h.setText(doc, broken + '{% endif %}\n');
    await h.waitForDiagnostics(uri, ds => h.ours(ds, 'DCR001').length === 0, 'DCR001 to clear again');
  });

  test('a missing comma in the rendered SQL is a DCR201 error on its template line, gone once fixed', async function () {
    const good = [
      'SELECT IDENTIFIER({{ dimensions[0] | column_policy }}) AS dim,',
      '  COUNT(DISTINCT c.hashed_email) AS cnt',
      'FROM IDENTIFIER({{ source_table[0] }}) AS p',
      'JOIN IDENTIFIER({{ my_table[0] }}) AS c ON p.hashed_email = c.hashed_email',
      'GROUP BY dim',
      '',
    ].join('\n');
    const broken = good.replace('AS dim,', 'AS dim');
    const uri = h.scratchFile('.jinjasql', broken);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false });
    const diags = await h.waitForDiagnostics(uri, ds => h.ours(ds, 'DCR201').length > 0, 'DCR201 for the missing comma');
    const d = h.ours(diags, 'DCR201')[0];
    assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
    assert.strictEqual(d.range.start.line, 1, `DCR201 on the line after the missing comma: ${h.describeDiags([d])}`);
    assert.match(d.message, /expected/i);
    await h.setText(doc, good);
    await h.waitForDiagnostics(uri, ds => h.ours(ds, 'DCR201').length === 0, 'DCR201 to clear once the comma is back');
  });

  test('valid templates get no error', async function () {
    // Barrier: a later-opened broken scratch file. Once its DCR001 has arrived, the server has
    // processed the documents opened before it (didOpen is delivered in order).
    const minimal = h.scratchFile('.jinjasql', '{% set n = 2 %}\nSELECT {{ n + 1 }} AS three\n');
    const valid = [minimal, h.fixture('templates/overlap_analysis.jinjasql'), h.fixture('templates/simple.sql.j2')];
    for (const uri of valid) await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri), { preview: false });
    const barrier = h.scratchFile('.jinjasql', 'SELECT {{ x \n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(barrier), { preview: false });
    await h.waitForDiagnostics(barrier, ds => h.ours(ds, 'DCR001').length > 0, 'DCR001 on the barrier file');
    const minimalDiags = vscode.languages.getDiagnostics(minimal);
    assert.deepStrictEqual(
      minimalDiags.filter(d => d.severity === vscode.DiagnosticSeverity.Error),
      [],
      `a template without arguments has errors: ${h.describeDiags(minimalDiags)}`,
    );
    for (const uri of valid.slice(1)) {
      const ds = vscode.languages.getDiagnostics(uri);
      assert.deepStrictEqual(h.ours(ds, 'DCR001'), [], `${uri.fsPath} has syntax errors: ${h.describeDiags(ds)}`);
    }
  });

  test('a .sql worksheet with an embedded $$ template in create_template_request opens fine', async function () {
    const doc = await h.open('worksheets/request_template.sql');
    assert.strictEqual(doc.languageId, 'sql');
    assert.match(doc.getText(), /consumer\.create_template_request\(/i);
    assert.ok(ext.isActive, 'the extension should stay active with a worksheet open');
    // Barrier as above; then the embedded template (syntactically valid) must not have DCR001.
    const barrier = h.scratchFile('.jinjasql', '{% for x in y %}\n');
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(barrier), { preview: false });
    await h.waitForDiagnostics(barrier, ds => h.ours(ds, 'DCR001').length > 0, 'DCR001 on the barrier file');
    const ds = vscode.languages.getDiagnostics(doc.uri);
    assert.deepStrictEqual(h.ours(ds, 'DCR001'), [], `worksheet has syntax errors: ${h.describeDiags(ds)}`);
  });

  test('cleanRoomTemplates.restartServer restarts the server and diagnostics come back', async function () {
    await getApi();
    const doc = await h.open('templates/broken.jinjasql');
    await h.waitForDiagnostics(doc.uri, ds => h.ours(ds, 'DCR001').length === 1, 'DCR001 before the restart');
    const commands = await vscode.commands.getCommands(true);
    for (const c of ['cleanRoomTemplates.restartServer', 'cleanRoomTemplates.showOutput']) {
      assert.ok(commands.includes(c), `command ${c} is not registered`);
    }
    // The client drops its diagnostics when the server stops; wait for "gone, then back".
    let cleared = false;
    const back = h.waitForDiagnostics(
      doc.uri,
      ds => {
        if (h.ours(ds, 'DCR001').length === 0) {
          cleared = true;
          return false;
        }
        return cleared;
      },
      'DCR001 to be cleared by the restart and then published again',
      45000,
    );
    await h.withTimeout(Promise.resolve(vscode.commands.executeCommand('cleanRoomTemplates.restartServer')), 30000, 'restartServer');
    await back;
    await h.withTimeout((await getApi()).isReady(), 30000, 'api.isReady() after the restart');
    await h.withTimeout(Promise.resolve(vscode.commands.executeCommand('cleanRoomTemplates.showOutput')), 10000, 'showOutput');
  });

  if (process.env.E2E_FORCE_FAIL) {
    test('deliberate failure (E2E_FORCE_FAIL is set): proves a failing test fails the run', function () {
      assert.strictEqual(process.env.E2E_FORCE_FAIL, undefined);
    });
  }

  suiteTeardown(async function () {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });
});
