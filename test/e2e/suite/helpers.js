// Shared helpers for the extension-host suite. Only the `vscode` API: no code-server specifics.
'use strict';
const vscode = require('vscode');
const fs = require('fs');
const os = require('os');
const path = require('path');

const EXTENSION_ID = 'cleanroomtemplates.clean-room-templates';
const LANGUAGE_ID = 'jinjasql';

function workspaceRoot() {
  const folders = vscode.workspace.workspaceFolders;
  if (!folders || folders.length === 0) throw new Error('the suite must run with test/e2e/fixtures/workspace open');
  return folders[0].uri;
}

function fixture(rel) {
  return vscode.Uri.joinPath(workspaceRoot(), ...rel.split('/'));
}

/** `Diagnostic.code` is `string | number | { value, target }` (target = codeDescription.href). */
function codeOf(d) {
  return d.code !== null && typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}
function hrefOf(d) {
  return d.code !== null && typeof d.code === 'object' && d.code.target ? d.code.target.toString() : undefined;
}
function ours(diags, code) {
  return diags.filter(d => d.source === 'clean-room' && (code === undefined || codeOf(d) === code));
}
function describeDiags(diags) {
  return JSON.stringify(
    diags.map(d => ({
      code: codeOf(d),
      source: d.source,
      severity: d.severity,
      message: d.message,
      range: [d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character],
    })),
  );
}

function withTimeout(promise, ms, what) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

/**
 * Resolves with the diagnostics of `uri` as soon as `predicate(diags)` holds: checked now and on
 * every `onDidChangeDiagnostics` event for that uri. Rejects after `timeoutMs` (no sleeping).
 */
function waitForDiagnostics(uri, predicate, what, timeoutMs = 30000) {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    let done = false;
    const finish = (err, value) => {
      if (done) return;
      done = true;
      sub.dispose();
      clearTimeout(timer);
      if (err) reject(err);
      else resolve(value);
    };
    const check = () => {
      const diags = vscode.languages.getDiagnostics(uri);
      let ok;
      try {
        ok = predicate(diags);
      } catch (e) {
        finish(e);
        return;
      }
      if (ok) finish(null, diags);
    };
    const sub = vscode.languages.onDidChangeDiagnostics(e => {
      if (e.uris.some(u => u.toString() === key)) check();
    });
    const timer = setTimeout(
      () =>
        finish(
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what} on ${uri.fsPath}; current diagnostics: ${describeDiags(vscode.languages.getDiagnostics(uri))}`,
          ),
        ),
      timeoutMs,
    );
    check();
  });
}

async function open(rel) {
  const doc = await vscode.workspace.openTextDocument(fixture(rel));
  await vscode.window.showTextDocument(doc, { preview: false });
  return doc;
}

/** A scratch template outside the repo (the fixtures stay untouched). */
let scratchCount = 0;
function scratchFile(ext, text) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcr-e2e-'));
  const file = path.join(dir, `scratch${++scratchCount}${ext}`);
  fs.writeFileSync(file, text);
  return vscode.Uri.file(file);
}

/** Replaces the whole text of an open document (in memory; not saved). */
async function setText(doc, text) {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  if (!(await vscode.workspace.applyEdit(edit))) throw new Error('applyEdit failed for ' + doc.uri.fsPath);
}

module.exports = {
  EXTENSION_ID,
  LANGUAGE_ID,
  workspaceRoot,
  fixture,
  codeOf,
  hrefOf,
  ours,
  describeDiags,
  withTimeout,
  waitForDiagnostics,
  open,
  scratchFile,
  setText,
};
