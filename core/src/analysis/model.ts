/**
 * The model of one version of one document: its kind, line index and the templates it holds,
 * each parsed once. Every feature and rule reads this model; nothing re-parses the text.
 */
import { parse as parseTemplate, type ParseResult } from '../jinja/parse.js';
import { detectKind, extractSources, type DocumentKind, type SourceNotice, type TemplateRegion } from '../sources/regions.js';
import { LineIndex } from '../text/lineIndex.js';

export interface DocumentInput {
  text: string;
  /** Path or URI, used to pick the document kind from its name. */
  path?: string;
  /** Editor language id, when known ('jinjasql', 'sql', 'yaml'). */
  languageId?: string;
}

/** Everything derived from one version of one document. Immutable once built. */
export interface DocumentModel {
  readonly text: string;
  readonly kind: DocumentKind;
  readonly lines: LineIndex;
  readonly templates: readonly ParsedRegion[];
  /** Places that should hold a checkable template but do not, or could not be read. */
  readonly notices: readonly SourceNotice[];
}

export interface ParsedRegion {
  readonly region: TemplateRegion;
  readonly parse: ParseResult;
}

export function parseDocument(input: DocumentInput): DocumentModel {
  const kind = detectKind(input.path, input.languageId, input.text);
  const { regions, notices } = extractSources(input.text, kind);
  return {
    text: input.text,
    kind,
    lines: new LineIndex(input.text),
    templates: regions.map(region => ({ region, parse: parseTemplate(region.text) })),
    notices,
  };
}
