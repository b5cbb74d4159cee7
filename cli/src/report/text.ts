/**
 * `--format text`: one `path:line:col: severity CODE message` line per finding, like compilers,
 * then one line per file saying how many templates were checked in it (so a file in which
 * nothing was found never passes as clean), then the summary.
 */
import type { CheckResult, Summary } from './model.js';
import type { Severity } from '../../../core/src/index.js';

const COLOR: Record<Severity, string> = { error: '31', warning: '33', information: '36', hint: '90' };

export function formatText(result: CheckResult, color: boolean): string {
  const paint = (code: string, s: string) => (color ? `\x1b[${code}m${s}\x1b[0m` : s);
  let out = '';
  for (const file of result.files) {
    for (const d of file.diagnostics) {
      out += `${paint('1', `${file.path}:${d.line}:${d.column}:`)} ${paint(COLOR[d.severity], d.severity)} ${paint('2', d.code)} ${d.message}\n`;
    }
  }
  for (const file of result.files) {
    if (file.templates === undefined) continue;
    out += `${file.path}: ${file.templates ? `${plural(file.templates, 'template', 'templates')} checked` : paint(COLOR.information, 'no template found')}\n`;
  }
  out += summaryLine(result.summary, result.files.length) + '\n';
  return out;
}

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

export function summaryLine(s: Summary, fileCount: number): string {
  const parts: string[] = [];
  if (s.errors) parts.push(plural(s.errors, 'error', 'errors'));
  if (s.warnings) parts.push(plural(s.warnings, 'warning', 'warnings'));
  if (s.information) parts.push(`${s.information} information`);
  if (s.hints) parts.push(plural(s.hints, 'hint', 'hints'));
  const files = plural(fileCount, 'file', 'files');
  return parts.length ? `${parts.join(', ')} in ${files} checked` : `no problems in ${files} checked`;
}
