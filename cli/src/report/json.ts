/**
 * `--format json`: the object docs/cli.md documents (scripts parse it). Fields are only ever
 * added, after the original ones: `templates` per file and `templates` / `filesWithoutTemplates`
 * in the summary.
 */
import type { CheckResult } from './model.js';

export function formatJson(result: CheckResult): string {
  const out = {
    version: 1,
    files: result.files.map(f => ({
      path: f.path,
      diagnostics: f.diagnostics.map(d => ({
        code: d.code,
        severity: d.severity,
        message: d.message,
        line: d.line,
        column: d.column,
        endLine: d.endLine,
        endColumn: d.endColumn,
      })),
      ...(f.templates !== undefined ? { templates: f.templates } : {}),
    })),
    summary: { ...result.summary },
  };
  return JSON.stringify(out, null, 2) + '\n';
}
