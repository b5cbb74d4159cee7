// TEMPORARY: template files only; worksheet and spec extraction land next.
import type { Span } from '../text/span.js';
export type DocumentKind = 'template' | 'worksheet' | 'spec' | 'other';
export interface TemplateRegion { text: string; hostSpan: Span; toHost(s: Span): Span; label: string }
export function detectKind(path?: string, languageId?: string, _text?: string): DocumentKind {
  if (languageId === 'jinjasql') return 'template';
  if (path && /\.(jinjasql|jinja\.sql|sql\.j2|sql\.jinja)$/i.test(path)) return 'template';
  if (languageId === 'sql' || (path && /\.sql$/i.test(path))) return 'worksheet';
  if (languageId === 'yaml' || (path && /\.ya?ml$/i.test(path))) return 'spec';
  return 'other';
}
export function extractTemplates(text: string, kind: DocumentKind): TemplateRegion[] {
  if (kind !== 'template') return [];
  return [{ text, hostSpan: { start: 0, end: text.length }, toHost: s => s, label: 'template' }];
}
