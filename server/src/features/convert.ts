/** Core's plain feature data (host offsets, own kinds) to LSP types. */
import { CompletionItemKind, SymbolKind, type CompletionItem, type DocumentSymbol, type Range } from 'vscode-languageserver';
import type { DocumentModel } from '../../../core/src/index.js';
import type { CompletionEntry, CompletionKind, DocumentSymbolData, SymbolKind as CoreSymbolKind } from '../../../core/src/index.js';
import type { Span } from '../../../core/src/index.js';

export function toRange(model: DocumentModel, span: Span): Range {
  return { start: model.lines.positionAt(span.start), end: model.lines.positionAt(span.end) };
}

const COMPLETION_KIND: Record<CompletionKind, CompletionItemKind> = {
  filter: CompletionItemKind.Function,
  test: CompletionItemKind.Operator,
  keyword: CompletionItemKind.Keyword,
  variable: CompletionItemKind.Variable,
  argument: CompletionItemKind.Field,
  reserved: CompletionItemKind.Constant,
  macro: CompletionItemKind.Method,
  property: CompletionItemKind.Property,
  function: CompletionItemKind.Function,
};

export function toCompletionItem(model: DocumentModel, entry: CompletionEntry, replace: Span): CompletionItem {
  return {
    label: entry.label,
    kind: COMPLETION_KIND[entry.kind],
    sortText: entry.sortText,
    ...(entry.detail ? { detail: entry.detail } : {}),
    ...(entry.documentation ? { documentation: { kind: 'markdown', value: entry.documentation } } : {}),
    textEdit: { range: toRange(model, replace), newText: entry.label },
  };
}

const SYMBOL_KIND: Record<CoreSymbolKind, SymbolKind> = {
  template: SymbolKind.Module,
  macro: SymbolKind.Function,
  block: SymbolKind.Namespace,
  variable: SymbolKind.Variable,
  loop: SymbolKind.Array,
};

export function toDocumentSymbol(model: DocumentModel, s: DocumentSymbolData): DocumentSymbol {
  return {
    name: s.name || ' ',
    kind: SYMBOL_KIND[s.kind],
    range: toRange(model, s.span),
    selectionRange: toRange(model, s.selectionSpan),
    ...(s.detail ? { detail: s.detail } : {}),
    children: s.children.map(c => toDocumentSymbol(model, c)),
  };
}
