/**
 * Document symbols (outline, breadcrumbs, go to symbol): macros with their parameters,
 * blocks, `{% set %}` variables and `for` loops, nested as in the template. In worksheets
 * and specs every embedded template is a container named after where it was found.
 */
import type { DocumentModel, ParsedRegion } from '../analysis/model.js';
import type * as A from '../jinja/ast.js';
import type { Span } from '../text/span.js';
import { cover } from '../text/span.js';
import { nameInTag } from './locate.js';

export type SymbolKind = 'template' | 'macro' | 'block' | 'variable' | 'loop';

export interface DocumentSymbolData {
  name: string;
  detail?: string;
  kind: SymbolKind;
  /** Host range of the whole construct. */
  span: Span;
  /** Host range of its name; inside `span`. */
  selectionSpan: Span;
  children: DocumentSymbolData[];
}

export function findDocumentSymbols(model: DocumentModel): DocumentSymbolData[] {
  if (model.kind === 'template') return model.templates.flatMap(t => symbolsOf(t));
  return model.templates.map(t => {
    const { region } = t;
    const nameSpan = region.meta.templateNameSpan;
    const span = nameSpan ? cover(region.hostSpan, nameSpan) : region.hostSpan;
    return {
      name: region.meta.templateName ?? region.label,
      ...(region.meta.templateName ? { detail: region.label } : {}),
      kind: 'template' as const,
      span,
      selectionSpan: nameSpan ?? { start: region.hostSpan.start, end: region.hostSpan.start },
      children: symbolsOf(t),
    };
  });
}

function symbolsOf(t: ParsedRegion): DocumentSymbolData[] {
  const text = t.region.text;
  const host = (s: Span) => t.region.toHost(s);
  const sym = (name: string, kind: SymbolKind, span: Span, selection: Span, children: DocumentSymbolData[] = [], detail?: string): DocumentSymbolData => ({
    name,
    kind,
    span: host(span),
    selectionSpan: host(selection),
    children,
    ...(detail ? { detail } : {}),
  });
  const targetNames = (tg: A.Target): { name: string; span: Span }[] =>
    tg.kind === 'NameTarget' ? [{ name: tg.name, span: tg.span }] : tg.kind === 'TupleTarget' ? tg.items.flatMap(targetNames) : [];

  const body = (stmts: A.Stmt[] | null): DocumentSymbolData[] => (stmts ?? []).flatMap(stmt);
  const stmt = (s: A.Stmt): DocumentSymbolData[] => {
    switch (s.kind) {
      case 'Macro': {
        const params = s.params.map(p => sym(p.name, 'variable', p.span, { start: p.span.start, end: p.span.start + p.name.length }, [], 'parameter'));
        const sig = s.params.map(p => text.slice(p.span.start, p.span.end)).join(', ');
        return [sym(s.name, 'macro', s.span, s.nameSpan, [...params, ...body(s.body)], `(${sig})`)];
      }
      case 'Block':
        return [sym(s.name, 'block', s.span, nameInTag(text, s.tag, s.name, 2), body(s.body), 'block')];
      case 'Set':
        return targetNames(s.target).map(n => sym(n.name, 'variable', s.span, n.span, [], text.slice(s.value.span.start, s.value.span.end)));
      case 'SetBlock': {
        const names = targetNames(s.target);
        const children = body(s.body);
        return names.length ? names.map((n, i) => sym(n.name, 'variable', s.span, n.span, i === 0 ? children : [], 'block set')) : children;
      }
      case 'For': {
        const iter = text.slice(s.iter.span.start, s.iter.span.end);
        const target = text.slice(s.target.span.start, s.target.span.end);
        return [sym(`for ${target} in ${iter}`, 'loop', s.span, s.target.span, [...body(s.body), ...body(s.else)])];
      }
      case 'If':
        return [...s.branches.flatMap(b => body(b.body)), ...body(s.else)];
      case 'CallBlock':
      case 'FilterBlock':
      case 'With':
        return body(s.body);
      default:
        return [];
    }
  };
  return body(t.parse.template.body);
}
