/**
 * The CLI's view of one check run, shared by every output format: findings with 1-based
 * line/column positions already computed (columns in UTF-16 code units, as LSP).
 */
import type { Finding, Severity } from '../../../core/src/index.js';
import type { LineIndex } from '../../../core/src/index.js';

export interface CliDiagnostic {
  code: string;
  severity: Severity;
  message: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

export interface FileResult {
  /** As shown to the user (relative to the working folder when inside it). */
  path: string;
  diagnostics: CliDiagnostic[];
  /** Templates found and checked in the file; absent for files that are not template hosts (a profile). */
  templates?: number;
}

export interface Summary {
  errors: number;
  warnings: number;
  information: number;
  hints: number;
  /** Templates checked in all files. */
  templates: number;
  /** Template hosts in which no template was found. */
  filesWithoutTemplates: number;
}

export interface CheckResult {
  files: FileResult[];
  summary: Summary;
}

export function toCliDiagnostic(f: Finding, lines: LineIndex): CliDiagnostic {
  const start = lines.positionAt(f.span.start);
  const end = lines.positionAt(f.span.end);
  return {
    code: f.code,
    severity: f.severity,
    message: f.message,
    line: start.line + 1,
    column: start.character + 1,
    endLine: end.line + 1,
    endColumn: end.character + 1,
  };
}

export function summarize(files: FileResult[]): Summary {
  const s: Summary = { errors: 0, warnings: 0, information: 0, hints: 0, templates: 0, filesWithoutTemplates: 0 };
  for (const f of files) {
    if (f.templates !== undefined) {
      s.templates += f.templates;
      if (!f.templates) s.filesWithoutTemplates++;
    }
    for (const d of f.diagnostics) {
      if (d.severity === 'error') s.errors++;
      else if (d.severity === 'warning') s.warnings++;
      else if (d.severity === 'information') s.information++;
      else s.hints++;
    }
  }
  return s;
}
