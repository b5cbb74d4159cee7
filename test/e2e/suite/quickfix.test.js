// The policy diagnostics in a real extension host: a policy diagnostic links to its rule page, and
// its preferred quick fix, applied through the workspace edit API, makes it go away.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

suite('Policy diagnostics and quick fixes in a real VS Code', function () {
  suiteSetup(async function () {
    const api = await h.withTimeout(Promise.resolve(vscode.extensions.getExtension(h.EXTENSION_ID).activate()), 30000, 'extension activation');
    await h.withTimeout(api.isReady(), 30000, 'api.isReady()');
  });

  for (const { code, text, fixed } of [
    {
      code: 'DCR105',
      // A column that passed column_policy, bound as a string literal: the fix wraps it in IDENTIFIER().
      text: 'SELECT {{ col | column_policy }}, COUNT(*)\nFROM IDENTIFIER({{ source_table[0] }}) AS p\nGROUP BY 1\n',
      fixed: /IDENTIFIER\(\{\{ col \| column_policy \}\}\)/,
    },
    {
      code: 'DCR104',
      // The policy filter runs before sqlsafe: the fix puts it after.
      text: 'SELECT {{ col | column_policy | sqlsafe }}, COUNT(*)\nFROM IDENTIFIER({{ source_table[0] }}) AS p\nGROUP BY 1\n',
      fixed: /\{\{ col \| sqlsafe \| column_policy \}\}/,
    },
  ]) {
    test(`${code}: the diagnostic links to docs/rules/${code}.md and the preferred quick fix removes it`, async function () {
      const uri = h.scratchFile('.jinjasql', text);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(doc, { preview: false });
      const diags = await h.waitForDiagnostics(uri, ds => h.ours(ds, code).length > 0, code);
      const d = h.ours(diags, code)[0];
      const href = h.hrefOf(d);
      assert.ok(href && new RegExp(`docs/rules/${code}\\.md$`).test(href), `codeDescription.href should point at docs/rules/${code}.md, got ${href}`);

      const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', uri, d.range);
      const fixes = (actions || []).filter(a => a.kind && vscode.CodeActionKind.QuickFix.contains(a.kind) && a.edit);
      const preferred = fixes.find(a => a.isPreferred);
      assert.ok(
        preferred,
        `no preferred quick fix for ${code}; got ${JSON.stringify((actions || []).map(a => ({ title: a.title, kind: a.kind && a.kind.value, isPreferred: a.isPreferred })))}`,
      );
      assert.ok(await vscode.workspace.applyEdit(preferred.edit), 'applyEdit failed');
      assert.match(doc.getText(), fixed, `the fix produced: ${doc.getText()}`);
      await h.waitForDiagnostics(uri, ds => h.ours(ds, code).length === 0, `${code} to clear after the quick fix`);
    });
  }
});
