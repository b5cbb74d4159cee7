/**
 * Go to definition and find references within one template region, for macros, `{% set %}`
 * variables, loop variables and macro parameters, following Jinja scopes (scopes.ts). A
 * caller argument has no definition; its references are every read of it.
 */
import type { DocumentModel } from '../analysis/model.js';
import type { Span } from '../text/span.js';
import { inSpan, locate } from './locate.js';
import { resolve, scopesOf, type Decl, type ScopeInfo, type Scope } from './scopes.js';

interface Symbol {
  name: string;
  /** The declarations of the variable, all in one scope; empty for a caller argument. */
  decls: Decl[];
}

function symbolAt(info: ScopeInfo, offset: number): { symbol: Symbol; at: Span } | null {
  // A cursor right after a name still means that name (as when a word was just typed).
  const decl = info.decls.find(d => inSpan(d.span, offset, true));
  if (decl) return { symbol: { name: decl.name, decls: decl.scope.decls.filter(d => d.name === decl.name) }, at: decl.span };
  const read = info.reads.find(r => inSpan(r.span, offset, true));
  if (read) return { symbol: { name: read.name, decls: resolve(read.name, read.scope) }, at: read.span };
  return null;
}

export function findDefinition(model: DocumentModel, hostOffset: number): Span[] {
  const at = locate(model, hostOffset);
  if (!at) return [];
  const hit = symbolAt(scopesOf(at.template.parse.template), at.offset);
  if (!hit || !hit.symbol.decls.length) return [];
  const { decls } = hit.symbol;
  // The assignment in effect is the last one before the use; a forward use (a macro
  // calling a macro defined below) goes to the first.
  const before = decls.filter(d => d.span.start <= hit.at.start);
  const target = before.length ? before[before.length - 1]! : decls[0]!;
  return [at.template.region.toHost(target.span)];
}

export function findReferences(model: DocumentModel, hostOffset: number, includeDeclaration = true): Span[] {
  const at = locate(model, hostOffset);
  if (!at) return [];
  const info = scopesOf(at.template.parse.template);
  const hit = symbolAt(info, at.offset);
  if (!hit) return [];
  const { name, decls } = hit.symbol;
  const owner: Scope | null = decls[0]?.scope ?? null;
  const spans: Span[] = [];
  if (includeDeclaration) spans.push(...decls.map(d => d.span));
  for (const r of info.reads) {
    if (r.name !== name) continue;
    const resolved = resolve(name, r.scope);
    if ((resolved[0]?.scope ?? null) === owner) spans.push(r.span);
  }
  return spans.sort((a, b) => a.start - b.start).map(s => at.template.region.toHost(s));
}
