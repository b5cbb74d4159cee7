/**
 * From a host offset (what the editor sends) to the template region and the template
 * offset under it, and back. Regions of worksheets decode escapes (`''`, `\n`), so the
 * host-to-template direction is a search over `toHost`, which is monotonic.
 */
import type { DocumentModel, ParsedRegion } from '../analysis/model.js';
import type { Span } from '../text/span.js';

export interface Located {
  template: ParsedRegion;
  /** Offset in the template text. */
  offset: number;
}

export function locate(model: DocumentModel, hostOffset: number): Located | null {
  for (const template of model.templates) {
    const { hostSpan } = template.region;
    if (hostOffset < hostSpan.start || hostOffset > hostSpan.end) continue;
    return { template, offset: toTemplateOffset(template, hostOffset) };
  }
  return null;
}

/** The largest template offset whose host offset is not after `hostOffset`. */
export function toTemplateOffset(template: ParsedRegion, hostOffset: number): number {
  const { region } = template;
  let lo = 0;
  let hi = region.text.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (region.toHost({ start: mid, end: mid }).start <= hostOffset) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

export function toHost(template: ParsedRegion, s: Span): Span {
  return template.region.toHost(s);
}

/** Half-open containment, plus the end when `inclusiveEnd` (a cursor right after a word). */
export function inSpan(s: Span, offset: number, inclusiveEnd = false): boolean {
  return offset >= s.start && (offset < s.end || (inclusiveEnd && offset === s.end));
}

export { visit, type AnyNode } from '../jinja/visit.js';

/** The word (letters, digits, `_`) around `offset` in `text`. */
export function wordAt(text: string, offset: number): Span | null {
  const isWord = (c: string | undefined) => !!c && /[\p{L}\p{N}_]/u.test(c);
  let start = offset;
  let end = offset;
  while (start > 0 && isWord(text[start - 1])) start--;
  while (end < text.length && isWord(text[end])) end++;
  return end > start ? { start, end } : null;
}

/** The span of `name` inside a tag, for nodes that keep only the tag span (blocks). */
export function nameInTag(text: string, tag: Span, name: string, after = 0): Span {
  const at = text.slice(tag.start, tag.end).indexOf(name, after);
  return at < 0 ? tag : { start: tag.start + at, end: tag.start + at + name.length };
}
