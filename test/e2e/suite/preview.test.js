// "Preview Rendered SQL" in a real extension host: the virtual document beside the template,
// the per-clean-room sections of a multi-provider analysis, live updates and navigation.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const PREVIEW_COMMAND = 'cleanRoomTemplates.previewSql';

/** Resolves with the document once `predicate(text)` holds: checked now and on each change. */
function waitForText(uri, predicate, what, timeoutMs = 30000) {
  const key = uri.toString();
  const current = () => vscode.workspace.textDocuments.find(d => d.uri.toString() === key);
  const doc = current();
  if (doc && predicate(doc.getText())) return Promise.resolve(doc);
  return h.withTimeout(
    new Promise(resolve => {
      const sub = vscode.workspace.onDidChangeTextDocument(e => {
        if (e.document.uri.toString() === key && predicate(e.document.getText())) {
          sub.dispose();
          resolve(e.document);
        }
      });
    }),
    timeoutMs,
    `${what}; preview text now: ${JSON.stringify(current() && current().getText())}`,
  );
}

function waitForSelection(uri, predicate, what, timeoutMs = 30000) {
  const key = uri.toString();
  return h.withTimeout(
    new Promise(resolve => {
      const sub = vscode.window.onDidChangeTextEditorSelection(e => {
        if (e.textEditor.document.uri.toString() === key && predicate(e.textEditor)) {
          sub.dispose();
          resolve(e.textEditor);
        }
      });
    }),
    timeoutMs,
    what,
  );
}

suite('Preview Rendered SQL in a real VS Code', function () {
  suiteSetup(async function () {
    const api = await h.withTimeout(Promise.resolve(vscode.extensions.getExtension(h.EXTENSION_ID).activate()), 30000, 'extension activation');
    await h.withTimeout(api.isReady(), 30000, 'api.isReady()');
  });

  test('the command is contributed with its title and category', async function () {
    const ext = vscode.extensions.getExtension(h.EXTENSION_ID);
    const cmd = (ext.packageJSON.contributes.commands || []).find(c => c.command === PREVIEW_COMMAND);
    assert.ok(cmd, 'package.json does not contribute the preview command');
    assert.strictEqual(cmd.title, 'Preview Rendered SQL');
    assert.strictEqual(cmd.category, 'Clean Room');
    assert.ok((await vscode.commands.getCommands(true)).includes(PREVIEW_COMMAND), 'the preview command is not registered');
  });

  test('a template without a profile analysis previews with sample values, read-only, as SQL', async function () {
    const uri = h.scratchFile('.jinjasql', 'SELECT {{ col | column_policy | sqlsafe }} FROM IDENTIFIER({{ source_table[0] }}) AS p\n');
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
    const previewUri = vscode.Uri.parse(await vscode.commands.executeCommand(PREVIEW_COMMAND));
    assert.strictEqual(previewUri.scheme, 'cleanroom-preview');
    const preview = await waitForText(previewUri, t => /SAMPLE values/.test(t), 'the sample-values preview');
    assert.strictEqual(preview.languageId, 'sql');
    assert.match(preview.getText(), /SELECT p\.COL FROM IDENTIFIER\('SAMPLE_DB\.SCHEMA\.SOURCE_TABLE_1'\) AS p/);
    const editor = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === previewUri.toString());
    assert.ok(editor, 'the preview is not visible');
    assert.notStrictEqual(editor.viewColumn, vscode.ViewColumn.One, 'the preview should open beside the template');
    // preserveFocus: the template keeps the cursor.
    assert.strictEqual(vscode.window.activeTextEditor && vscode.window.activeTextEditor.document.uri.toString(), uri.toString());
  });

  test('a multi-provider template: cluster and per-room sections, live after an edit, navigation, policy diagnostic', async function () {
    const doc = await h.open('templates/multiprovider_overlap.jinjasql');
    const original = doc.getText();
    try {
      // The CodeLens above the template: "Preview SQL" and the analysis that uses it.
      const lenses = await vscode.commands.executeCommand('vscode.executeCodeLensProvider', doc.uri);
      const titles = (lenses || []).map(l => l.command && l.command.title);
      assert.ok(titles.includes('Preview SQL') && titles.includes('▶ multi overlap'), `CodeLens titles: ${JSON.stringify(titles)}`);

      const previewUri = vscode.Uri.parse(await vscode.commands.executeCommand(PREVIEW_COMMAND));
      const preview = await waitForText(previewUri, t => /-- cleanroom: Clean Room 2/.test(t), 'the per-room sections');
      const text = preview.getText();
      assert.match(text, /-- Analysis: "multi overlap"/);
      assert.match(text, /-- Clean rooms: Clean Room 1, Clean Room 2/);
      assert.match(text, /-- Binds: inlined/);
      const cluster = text.indexOf('-- cluster: Clean Room 1, Clean Room 2');
      const room1 = text.indexOf('-- cleanroom: Clean Room 1');
      const room2 = text.indexOf('-- cleanroom: Clean Room 2');
      assert.ok(cluster >= 0 && cluster < room1 && room1 < room2, `sections out of order: ${text}`);
      // Each room renders with only its own source_table entries.
      const room1Sql = text.slice(room1, room2);
      assert.match(room1Sql, /Clean Room 1\.SAMOOHA_SAMPLE_DATABASE\.DEMO\.CUSTOMERS/);
      assert.doesNotMatch(room1Sql, /PARTNER_DB/);
      assert.match(text.slice(room2), /Clean Room 2\.PARTNER_DB\.DEMO\.CUSTOMERS/);
      assert.doesNotMatch(text.slice(room2), /SAMOOHA_SAMPLE_DATABASE/);
      assert.match(text.slice(cluster, room1), /SAMOOHA_SAMPLE_DATABASE[\s\S]*PARTNER_DB/);

      // Live: the preview follows an unsaved edit (await the document change, never sleep).
      const t0 = Date.now();
      const updated = waitForText(previewUri, t => /AS overlap_count/.test(t), 'the preview to show the edit');
      await h.setText(doc, original.replace('AS overlap', 'AS overlap_count'));
      await updated;
      console.log(`[e2e-suite] preview updated ${Date.now() - t0} ms after the edit`);

      // Navigation: selecting the second dimension in the preview selects its template expression.
      const previewEditor = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === previewUri.toString());
      assert.ok(previewEditor, 'the preview is not visible');
      const ptext = previewEditor.document.getText();
      const at = ptext.indexOf("'p2.REGION_CODE'", ptext.indexOf('-- cluster:'));
      assert.ok(at > 0, 'no p2.REGION_CODE in the preview');
      const selected = waitForSelection(
        doc.uri,
        e => e.document.getText(e.selection) === '{{ dim | column_policy }}',
        'the template selection to follow the preview',
      );
      previewEditor.selection = new vscode.Selection(previewEditor.document.positionAt(at + 2), previewEditor.document.positionAt(at + 2));
      await selected;

      // The fixture profile leaves p2.REGION_CODE out of Clean Room 2's column policy: the
      // template shows Snowflake's "Not approved" (DCR302) at the checked expression.
      const diags = await h.waitForDiagnostics(doc.uri, ds => h.ours(ds, 'DCR302').length > 0, 'DCR302 (unauthorized column)');
      const d = h.ours(diags, 'DCR302')[0];
      assert.match(d.message, /Not approved: unauthorized columns used\. 'p2\.REGION_CODE'/);
      assert.doesNotMatch(d.message, /'p1\.STATUS'/, "STATUS is in both rooms' column policies");
      assert.strictEqual(d.severity, vscode.DiagnosticSeverity.Error);
      assert.strictEqual(doc.getText(d.range), '| column_policy', `DCR302 range: ${h.describeDiags([d])}`);
      assert.ok(/docs\/rules\/DCR302\.md$/.test(h.hrefOf(d) || ''), `DCR302 without its docs link: ${h.describeDiags([d])}`);
    } finally {
      await h.setText(doc, original);
    }
  });
});
