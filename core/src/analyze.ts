/**
 * The facade every front end (language server, CLI, tests) uses. Pure: text in, model and
 * findings out. Parse once per document version with `parseDocument`, then run any number
 * of features on the model.
 */
import type { Finding, Severity } from './findings.js';
import { sortFindings } from './findings.js';
import { LineIndex } from './text/lineIndex.js';
import { extractTemplates, type TemplateRegion, type DocumentKind, detectKind } from './sources/regions.js';

export type { DocumentKind, TemplateRegion };
export { detectKind };

export type Api = 'legacy' | 'collaboration';
export type SeverityOverride = Severity | 'off';

export interface AnalyzeOptions {
  api?: Api;
  /** Per-code severity overrides, e.g. { DCR101: 'warning', DCR120: 'off' }. */
  severities?: Record<string, SeverityOverride>;
  /** False in an untrusted workspace: templates are parsed, never rendered. */
  allowRender?: boolean;
  /** Polled between phases; when it returns true the analysis stops early. */
  isCancelled?: () => boolean;
}

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
}

export interface ParsedRegion {
  readonly region: TemplateRegion;
  readonly parse: import('./jinja/parse.js').ParseResult;
}

export function parseDocument(input: DocumentInput): DocumentModel {
  const kind = detectKind(input.path, input.languageId, input.text);
  const regions = extractTemplates(input.text, kind);
  return {
    text: input.text,
    kind,
    lines: new LineIndex(input.text),
    templates: regions.map(region => ({ region, parse: parseTemplateSafe(region.text) })),
  };
}

export function analyzeDocument(model: DocumentModel, options: AnalyzeOptions = {}): Finding[] {
  const findings: Finding[] = [];
  for (const { region, parse } of model.templates) {
    if (options.isCancelled?.()) break;
    for (const p of parse.errors) {
      findings.push({ ...p, span: region.toHost(p.span) });
    }
  }
  return sortFindings(applySeverities(findings, options.severities));
}

export function applySeverities(findings: Finding[], overrides?: Record<string, SeverityOverride>): Finding[] {
  if (!overrides) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const o = overrides[f.code];
    if (o === 'off') continue;
    out.push(o ? { ...f, severity: o } : f);
  }
  return out;
}

import { parse as parseTemplate } from './jinja/parse.js';
function parseTemplateSafe(text: string) {
  return parseTemplate(text);
}
