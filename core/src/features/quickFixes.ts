/**
 * Reads the quick fixes a finding carries in `data.fixes`. The data makes a round trip
 * through the editor (diagnostic -> codeAction request), so it is checked again here:
 * malformed entries, edits outside the text and overlapping edits are dropped rather than
 * applied.
 */
import type { Span } from '../text/span.js';

export interface QuickFixEdit {
  /** Host offsets. */
  span: Span;
  newText: string;
}

export interface QuickFix {
  title: string;
  edits: QuickFixEdit[];
  isPreferred?: boolean;
}

export function quickFixesOf(data: unknown, textLength: number): QuickFix[] {
  if (!data || typeof data !== 'object') return [];
  const fixes = (data as { fixes?: unknown }).fixes;
  if (!Array.isArray(fixes)) return [];
  const out: QuickFix[] = [];
  for (const f of fixes) {
    const fix = readFix(f, textLength);
    if (fix) out.push(fix);
  }
  return out;
}

function readFix(f: unknown, textLength: number): QuickFix | null {
  if (!f || typeof f !== 'object') return null;
  const { title, edits, isPreferred } = f as Record<string, unknown>;
  if (typeof title !== 'string' || !title || !Array.isArray(edits) || !edits.length) return null;
  const read: QuickFixEdit[] = [];
  for (const e of edits) {
    if (!e || typeof e !== 'object') return null;
    const { span, newText } = e as Record<string, unknown>;
    if (typeof newText !== 'string' || !span || typeof span !== 'object') return null;
    const { start, end } = span as Record<string, unknown>;
    if (!Number.isInteger(start) || !Number.isInteger(end)) return null;
    if ((start as number) < 0 || (start as number) > (end as number) || (end as number) > textLength) return null;
    read.push({ span: { start: start as number, end: end as number }, newText });
  }
  const sorted = [...read].sort((a, b) => a.span.start - b.span.start);
  for (let i = 1; i < sorted.length; i++) if (sorted[i]!.span.start < sorted[i - 1]!.span.end) return null;
  return { title, edits: read, ...(isPreferred === true ? { isPreferred: true } : {}) };
}
