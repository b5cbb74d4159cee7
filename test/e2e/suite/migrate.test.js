// The migration from the editor in a real extension host: the "Migrate to Collaboration API
// spec" action on a legacy template writes <name>.spec.yaml beside it and opens it beside the
// template, with the aliases renumbered for the Collaboration API.
'use strict';
const assert = require('assert');
const fs = require('fs');
const path = require('path');
const vscode = require('vscode');
const h = require('./helpers');

const TEMPLATE = [
  'SELECT IDENTIFIER({{ dim | column_policy }}) AS grp, COUNT(*) AS n',
  'FROM IDENTIFIER({{ my_table[0] }}) AS c',
  'JOIN IDENTIFIER({{ source_table[0] }}) AS p',
  '  ON IDENTIFIER({{ c_col | join_policy }}) = IDENTIFIER({{ p_col | join_policy }})',
  'GROUP BY 1',
  '',
].join('\n');

suite('Migrate a legacy template from the editor', function () {
  suiteSetup(async function () {
    const api = await h.withTimeout(Promise.resolve(vscode.extensions.getExtension(h.EXTENSION_ID).activate()), 30000, 'extension activation');
    await h.withTimeout(api.isReady(), 30000, 'api.isReady()');
  });

  test('the code action writes the spec and opens it beside the template', async function () {
    const uri = h.scratchFile('.jinjasql', TEMPLATE);
    const doc = await vscode.workspace.openTextDocument(uri);
    const editor = await vscode.window.showTextDocument(doc, { preview: false, viewColumn: vscode.ViewColumn.One });
    const at = new vscode.Range(new vscode.Position(1, 0), new vscode.Position(1, 0));
    // The edit is computed when the action is resolved (as when a user picks it): resolve them.
    const actions = await h.withTimeout(
      Promise.resolve(vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, at, vscode.CodeActionKind.RefactorRewrite.value, 10)),
      30000,
      'code actions',
    );
    const migrate = (actions || []).find(a => a.title === 'Migrate to Collaboration API spec');
    assert.ok(migrate && migrate.edit && migrate.command, `no migrate action; got ${JSON.stringify((actions || []).map(a => a.title))}`);
    assert.ok(await vscode.workspace.applyEdit(migrate.edit), 'applyEdit failed');
    await vscode.commands.executeCommand(migrate.command.command, ...(migrate.command.arguments || []));
    const spec = vscode.window.activeTextEditor;
    assert.ok(spec, 'an editor is active');
    assert.equal(path.basename(spec.document.uri.fsPath), `${path.basename(uri.fsPath, '.jinjasql')}.spec.yaml`);
    assert.equal(path.dirname(spec.document.uri.fsPath), path.dirname(uri.fsPath), 'the spec is beside the template');
    assert.notEqual(spec.viewColumn, editor.viewColumn, 'opened beside, not over the template');
    const text = spec.document.getText();
    assert.match(text, /^spec_type: template$/m);
    assert.match(text, /AS c1\n/);
    assert.match(text, /AS p1\n/);
    // The new file holds the text (not only an unsaved buffer) once saved.
    await spec.document.save();
    assert.match(fs.readFileSync(spec.document.uri.fsPath, 'utf8'), /^template: \|$/m);
  });
});
