/**
 * Preview <-> template navigation, from the engine's source map (the render segments, with
 * template ranges already in host offsets). Pure; exact by construction: nothing is guessed
 * from text, every answer is a segment the evaluator recorded.
 */
import type { ParsedRegion } from '../../../core/src/index.js';
import type { Span } from '../../../core/src/index.js';
import type { PreviewResult, PreviewSegment } from '../shared/preview.js';

export interface TemplateHit {
  /** The innermost template range that produced the text (host offsets). */
  source: Span;
  /** Call sites, innermost first. */
  via: Span[];
}

/** Preview offset -> the segment under it; at a boundary the text after the cursor wins. */
export function templateRangeAt(result: PreviewResult, offset: number): TemplateHit | null {
  for (const section of result.sections) {
    const local = offset - section.offset;
    if (local < 0 || local > section.sql.length) continue;
    const live = section.segments.filter(s => s.end > s.start);
    const seg = live.find(s => s.start <= local && local < s.end) ?? live.find(s => s.end === local);
    if (seg) return { source: seg.source, via: seg.via ?? [] };
  }
  return null;
}

/**
 * Template offset -> the preview ranges it produced. The innermost template node around the
 * offset that produced any output decides: an expression gives each of its renders (one per
 * loop iteration), a `{% for %}` tag everything its loop produced, a macro call site the
 * macro's output for that call.
 */
export function previewRangesAt(result: PreviewResult, region: ParsedRegion, hostOffset: number): Span[] {
  const segments: { seg: PreviewSegment; base: number }[] = [];
  for (const section of result.sections) for (const seg of section.segments) if (seg.end > seg.start) segments.push({ seg, base: section.offset });
  if (!segments.length) return [];
  const nodes = nodeSpans(region).sort((a, b) => a.end - a.start - (b.end - b.start));
  for (const inclusiveEnd of [false, true]) {
    for (const node of nodes) {
      const inside = node.start <= hostOffset && (hostOffset < node.end || (inclusiveEnd && hostOffset === node.end));
      if (!inside) continue;
      const hits = segments.filter(({ seg }) => within(seg.source, node) || (seg.via ?? []).some(v => within(v, node)));
      if (hits.length) return merge(hits.map(({ seg, base }) => ({ start: base + seg.start, end: base + seg.end })));
    }
  }
  return [];
}

function within(inner: Span, outer: Span): boolean {
  return inner.start >= outer.start && inner.end <= outer.end && inner.end > inner.start;
}

/** Every AST node's span in host offsets, except the whole template. */
function nodeSpans(region: ParsedRegion): Span[] {
  const out: Span[] = [];
  const seen = new Set<string>();
  const go = (n: unknown): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) return n.forEach(go);
    const o = n as { kind?: unknown; span?: Span };
    if (typeof o.kind === 'string' && o.kind !== 'Template' && o.span && typeof o.span.start === 'number') {
      const h = region.region.toHost(o.span);
      const key = `${h.start}:${h.end}`;
      if (h.end > h.start && !seen.has(key)) {
        seen.add(key);
        out.push(h);
      }
    }
    for (const [k, v] of Object.entries(o)) if (k !== 'span' && v && typeof v === 'object') go(v);
  };
  go(region.parse.template);
  return out;
}

function merge(spans: Span[]): Span[] {
  spans.sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && s.start <= last.end) out[out.length - 1] = { start: last.start, end: Math.max(last.end, s.end) };
    else out.push({ ...s });
  }
  return out;
}
