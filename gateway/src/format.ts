/** Result rows as text for a terminal or a read-only document. */
import { describeStatement } from './catalog.js';
import type { QueryResult } from './driver.js';

export function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

/** A plain table; multi-line cells are shown on one line with ⏎ so columns stay aligned. */
export function formatTable(r: Pick<QueryResult, 'columns' | 'rows'>, maxWidth = 80): string {
  const columns = r.columns.length ? r.columns : Object.keys(r.rows[0] ?? {});
  if (!r.rows.length) return '(no rows)\n';
  const flat = (v: unknown) => {
    const s = cellText(v).replace(/\r?\n/g, '⏎');
    return s.length > maxWidth ? s.slice(0, maxWidth - 1) + '…' : s;
  };
  const cells = r.rows.map(row => columns.map(c => flat(row[c])));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map(row => row[i]!.length)));
  const line = (vals: string[]) =>
    vals
      .map((v, i) => v.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [line(columns), widths.map(w => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n') + '\n';
}

/** `?` placeholders with their values and documented names, as --dry-run shows a statement. */
export function formatStatement(s: { id?: string; sql: string; binds: readonly unknown[] }): string {
  const params = s.id ? describeStatement(s.id)?.params : undefined;
  const lines = [s.sql + ';'];
  s.binds.forEach((b, i) => lines.push(`  -- bind ${i + 1}${params?.[i] ? ` (${params[i]})` : ''}: ${b === null ? 'NULL' : JSON.stringify(b)}`));
  return lines.join('\n');
}

/** Removes every secret from a text before it is printed or logged. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join('***');
  return out;
}
