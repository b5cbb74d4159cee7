// TEMPORARY stub: replaced by the real tolerant parser (lead is writing it now).
import type { TemplateNode } from './ast.js';
import type { Finding } from '../findings.js';
export interface ParseResult { template: TemplateNode; errors: Finding[] }
export function parse(text: string): ParseResult {
  const errors: Finding[] = [];
  let i = 0;
  while ((i = text.indexOf('{{', i)) >= 0) {
    const end = text.indexOf('}}', i + 2);
    if (end < 0) { errors.push({ code: 'DCR001', severity: 'error', message: "unexpected end of template, expected '}}'", span: { start: i, end: text.length } }); break; }
    i = end + 2;
  }
  return { template: { kind: 'Template', span: { start: 0, end: text.length }, body: [] }, errors };
}
