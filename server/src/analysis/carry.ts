/**
 * What the quick pass of an edit cannot know yet (findings only the complete pass makes: other
 * list shapes, the profile's analyses) is carried over from the last complete pass, moved
 * with the edit, so diagnostics do not blink out and back on every keystroke. A finding on a
 * line the edit touched is dropped (it is likely about what was just typed); the complete pass
 * then replaces everything.
 */
import type { Finding, Fix, Span } from '../../../core/src/index.js';

export interface Carried {
  /** The document text the findings are about. */
  text: string;
  /** Complete-pass findings the quick pass of the same text did not report. */
  findings: Finding[];
}

const keyOf = (f: Finding) => `${f.code}\u0000${f.severity}\u0000${f.span.start}:${f.span.end}\u0000${f.message}`;

/** The complete pass's findings that its own quick pass did not report. */
export function onlyComplete(complete: readonly Finding[], quick: readonly Finding[]): Finding[] {
  const seen = new Set(quick.map(keyOf));
  return complete.filter(f => !seen.has(keyOf(f)));
}

/** The edit between two texts as one replaced range: [start, oldEnd) became [start, newEnd). */
function editBetween(before: string, after: string): { start: number; oldEnd: number; newEnd: number } {
  const max = Math.min(before.length, after.length);
  let start = 0;
  while (start < max && before.charCodeAt(start) === after.charCodeAt(start)) start++;
  let tail = 0;
  while (tail < max - start && before.charCodeAt(before.length - 1 - tail) === after.charCodeAt(after.length - 1 - tail)) tail++;
  return { start, oldEnd: before.length - tail, newEnd: after.length - tail };
}

/** `carried`'s findings placed in `text`, with the quick pass's own findings first (same place and code: the quick one wins). */
export function withCarried(quick: readonly Finding[], carried: Carried | undefined, text: string): Finding[] {
  if (!carried || !carried.findings.length) return [...quick];
  const before = carried.text;
  const edit = editBetween(before, text);
  const delta = edit.newEnd - edit.oldEnd;
  // The lines the edit touched: a finding there is likely about what was just typed. Whole
  // lines inserted touch none.
  const wholeLines = edit.start === edit.oldEnd && (edit.start === 0 || before[edit.start - 1] === '\n') && text.slice(edit.start, edit.newEnd).endsWith('\n');
  const lineStart = before.lastIndexOf('\n', edit.start - 1) + 1;
  const next = before.indexOf('\n', edit.oldEnd);
  const lineEnd = next < 0 ? before.length : next;
  const unchanged = edit.start === edit.oldEnd && edit.start === edit.newEnd;
  const move = (s: Span): Span | null => {
    if (unchanged) return s;
    if (!wholeLines && s.start <= lineEnd && s.end >= lineStart) return null;
    if (s.end <= edit.start) return s;
    if (s.start >= edit.oldEnd) return { start: s.start + delta, end: s.end + delta };
    return null;
  };
  const taken = new Set(quick.map(f => `${f.code}:${f.span.start}:${f.span.end}`));
  const out = [...quick];
  for (const f of carried.findings) {
    const span = move(f.span);
    if (!span || taken.has(`${f.code}:${span.start}:${span.end}`)) continue;
    // Fixes and related places that cannot be moved are left out rather than pointed at the wrong text.
    const moved: Finding = { ...f, span };
    delete moved.related;
    if (f.related) {
      const related = f.related.flatMap(r => {
        const s = move(r.span);
        return s ? [{ ...r, span: s }] : [];
      });
      if (related.length) moved.related = related;
    }
    const fixes = (f.data as { fixes?: Fix[] } | undefined)?.fixes;
    if (fixes) {
      const kept = fixes.flatMap(x => {
        const edits = x.edits.map(e => ({ ...e, span: move(e.span) }));
        return edits.every(e => e.span) ? [{ ...x, edits: edits as Fix['edits'] }] : [];
      });
      moved.data = { ...(f.data as object), fixes: kept };
    }
    out.push(moved);
  }
  return out;
}
