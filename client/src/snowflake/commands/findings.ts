/** The language server's findings on a document, as the Snowflake commands show them before sending. */
import * as vscode from 'vscode';

const OURS = /^DCR\d+$/;
const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : (d.code ?? ''));
const SEVERITY = ['error', 'warning', 'information', 'hint'] as const;

export interface Findings {
  all: vscode.Diagnostic[];
  errors: number;
  warnings: number;
  /** One line per finding: `line:column severity CODE message`. */
  lines: string[];
}

/** A profile finding about another analysis of the same template is not about this run. */
const aboutOther = (d: vscode.Diagnostic, analysis?: string) => {
  const named = /\banalysis '([^']*)'/i.exec(d.message);
  return analysis !== undefined && named !== null && named[1] !== analysis;
};

/**
 * Our findings on `uri` within `range` (all of them without one; for `analysis`, without the
 * profile findings of other analyses), once the server has published for the document (or
 * after `waitMs`, when it has nothing to say).
 */
export async function findingsOf(uri: vscode.Uri, range?: vscode.Range, waitMs = 3000, analysis?: string): Promise<Findings> {
  const current = () =>
    vscode.languages.getDiagnostics(uri).filter(d => OURS.test(codeOf(d)) && (!range || range.intersection(d.range) !== undefined) && !aboutOther(d, analysis));
  if (!vscode.languages.getDiagnostics(uri).length) {
    await new Promise<void>(resolve => {
      const timer = setTimeout(done, waitMs);
      const sub = vscode.languages.onDidChangeDiagnostics(e => {
        if (e.uris.some(u => u.toString() === uri.toString())) done();
      });
      function done() {
        clearTimeout(timer);
        sub.dispose();
        resolve();
      }
    });
  }
  const all = current().sort((a, b) => a.severity - b.severity || a.range.start.compareTo(b.range.start));
  return {
    all,
    errors: all.filter(d => d.severity === vscode.DiagnosticSeverity.Error).length,
    warnings: all.filter(d => d.severity === vscode.DiagnosticSeverity.Warning).length,
    lines: all.map(d => `${d.range.start.line + 1}:${d.range.start.character + 1} ${SEVERITY[d.severity]} ${codeOf(d)} ${d.message}`),
  };
}

export function summary(f: Findings): string {
  if (!f.all.length) return 'no findings';
  const other = f.all.length - f.errors - f.warnings;
  return [f.errors && `${f.errors} error(s)`, f.warnings && `${f.warnings} warning(s)`, other && `${other} note(s)`].filter(Boolean).join(', ');
}

/** The findings as SQL comments, for the plan document. */
export function asComments(f: Findings, where: string): string {
  return f.lines.length ? `-- findings in ${where}:\n${f.lines.map(l => `--   ${l}`).join('\n')}\n` : `-- findings in ${where}: none\n`;
}
