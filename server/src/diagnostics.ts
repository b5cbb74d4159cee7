/**
 * The one place where engine findings become LSP diagnostics. Core speaks offsets and its
 * own severity names; LSP speaks 0-based positions and numeric severities.
 */
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import type { Finding, Severity } from '../../core/src/index.js';
import type { LineIndex } from '../../core/src/index.js';
import type { Span } from '../../core/src/index.js';
import { ruleDocsUrl } from '../../core/src/index.js';

export const DIAGNOSTIC_SOURCE = 'clean-room';

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

function toRange(lines: LineIndex, span: Span) {
  return { start: lines.positionAt(span.start), end: lines.positionAt(span.end) };
}

export function toDiagnostic(finding: Finding, lines: LineIndex, uri: string): Diagnostic {
  const diagnostic: Diagnostic = {
    range: toRange(lines, finding.span),
    severity: SEVERITY[finding.severity] ?? DiagnosticSeverity.Error,
    code: finding.code,
    codeDescription: { href: ruleDocsUrl(finding.code) },
    source: DIAGNOSTIC_SOURCE,
    message: finding.message,
  };
  if (finding.related?.length) {
    diagnostic.relatedInformation = finding.related.map((r): DiagnosticRelatedInformation => ({
      location: { uri, range: toRange(lines, r.span) },
      message: r.message,
    }));
  }
  // Quick fixes read this back from the diagnostic the client returns in codeAction params.
  if (finding.data !== undefined) diagnostic.data = finding.data;
  return diagnostic;
}
