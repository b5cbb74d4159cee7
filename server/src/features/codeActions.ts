/**
 * Quick fixes: the fixes a finding carries in `data.fixes` (host offsets) become
 * `quickfix` code actions with the diagnostic attached, so the editor can show them in the
 * light bulb and in the Problems view.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type TextEdit } from 'vscode-languageserver';
import type { DocumentModel } from '../../../core/src/index.js';
import { quickFixesOf } from '../../../core/src/index.js';
import { DIAGNOSTIC_SOURCE } from '../diagnostics.js';
import { toRange } from './convert.js';

export function codeActionsFor(model: DocumentModel, params: CodeActionParams): CodeAction[] {
  const only = params.context.only;
  if (only && !only.some(k => k === '' || k === CodeActionKind.QuickFix || CodeActionKind.QuickFix.startsWith(`${k}.`))) return [];
  const actions: CodeAction[] = [];
  for (const diagnostic of params.context.diagnostics) {
    if (diagnostic.source !== DIAGNOSTIC_SOURCE) continue;
    for (const fix of quickFixesOf(diagnostic.data, model.text.length)) {
      const edits: TextEdit[] = fix.edits.map(e => ({ range: toRange(model, e.span), newText: e.newText }));
      actions.push({
        title: fix.title,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        ...(fix.isPreferred ? { isPreferred: true } : {}),
        edit: { changes: { [params.textDocument.uri]: edits } },
      });
    }
  }
  return actions;
}
