import type { Span } from './text/span.js';
import type { RuleCode, Severity } from './rules/catalog.js';

export type { Severity };

/**
 * One problem found by the engine, at a span of the *host* document (the file the user
 * edits: a template file, a .sql worksheet or a template-spec YAML).
 */
export interface Finding {
  code: RuleCode;
  severity: Severity;
  message: string;
  span: Span;
  /** Extra places that explain the finding (e.g. where a value came from). */
  related?: { span: Span; message: string }[];
  /** Machine-readable details for quick fixes; never shown. */
  data?: Record<string, unknown>;
}

export const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, information: 2, hint: 3 };

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => a.span.start - b.span.start || a.span.end - b.span.end || a.code.localeCompare(b.code));
}
