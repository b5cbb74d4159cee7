import type { Finding } from '../findings.js';
import type { Span } from '../text/span.js';
import { ruleInfo, type RuleCode } from './catalog.js';

/** A text edit in template (or host) offsets. */
export interface FixEdit {
  span: Span;
  newText: string;
}

/** A quick fix carried in `finding.data.fixes`; front ends turn it into code actions. */
export interface Fix {
  title: string;
  edits: FixEdit[];
  isPreferred?: boolean;
}

export function finding(code: RuleCode, message: string, span: Span, fixes?: Fix[], related?: Finding['related']): Finding {
  const f: Finding = { code, severity: ruleInfo(code)!.severity, message, span };
  if (fixes && fixes.length) f.data = { fixes };
  if (related && related.length) f.related = related;
  return f;
}

export function replaceFix(span: Span, newText: string): FixEdit {
  return { span, newText };
}

export function insertFix(at: number, newText: string): FixEdit {
  return { span: { start: at, end: at }, newText };
}

/** Moves a finding (and its fixes and related spans) from template offsets to host offsets. */
export function toHostFinding(f: Finding, toHost: (s: Span) => Span): Finding {
  const moved: Finding = { ...f, span: toHost(f.span) };
  if (f.related) moved.related = f.related.map(r => ({ ...r, span: toHost(r.span) }));
  const fixes = (f.data as { fixes?: Fix[] } | undefined)?.fixes;
  if (fixes) moved.data = { ...f.data, fixes: fixes.map(x => ({ ...x, edits: x.edits.map(e => ({ ...e, span: toHost(e.span) })) })) };
  return moved;
}
