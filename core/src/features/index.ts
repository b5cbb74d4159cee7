/** Editor features over a parsed DocumentModel: plain data, host offsets, no LSP types. */
export { doHover, type HoverResult } from './hover.js';
export { doComplete, type CompletionEntry, type CompletionKind, type CompletionResult } from './completion.js';
export { findDocumentSymbols, type DocumentSymbolData, type SymbolKind } from './symbols.js';
export { findDefinition, findReferences } from './navigation.js';
export { quickFixesOf, type QuickFix, type QuickFixEdit } from './quickFixes.js';
export type { FeatureOptions } from './options.js';
