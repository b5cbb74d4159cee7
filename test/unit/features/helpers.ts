/**
 * Inline test documents with markers: `‸` is the cursor (`|` is Jinja's filter pipe) and
 * `«…»` marks expected ranges. Markers are removed before parsing; offsets refer to the
 * clean text.
 */
import { parseDocument, type DocumentModel } from '../../../core/src/analyze.ts';
import type { Span } from '../../../core/src/text/span.ts';

export const CURSOR = '‸';

export interface Marked {
  text: string;
  model: DocumentModel;
  cursor: number;
  spans: Span[];
}

export function marked(source: string, languageId = 'jinjasql'): Marked {
  let text = '';
  let cursor = -1;
  const spans: Span[] = [];
  const open: number[] = [];
  for (const ch of source) {
    if (ch === CURSOR) cursor = text.length;
    else if (ch === '«') open.push(text.length);
    else if (ch === '»') spans.push({ start: open.pop()!, end: text.length });
    else text += ch;
  }
  spans.sort((a, b) => a.start - b.start);
  return { text, model: parseDocument({ text, languageId }), cursor, spans };
}

export function slice(m: Marked, s: Span): string {
  return m.text.slice(s.start, s.end);
}
