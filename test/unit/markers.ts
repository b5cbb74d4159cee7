/**
 * Inline range markers for data-driven tests: `⟦` and `⟧` around each expected range.
 * Returns the text without markers and the ranges in order.
 */
export function unmark(marked: string): { text: string; ranges: { start: number; end: number }[] } {
  let text = '';
  const ranges: { start: number; end: number }[] = [];
  const open: number[] = [];
  for (const ch of marked) {
    if (ch === '⟦') open.push(text.length);
    else if (ch === '⟧') ranges.push({ start: open.pop()!, end: text.length });
    else text += ch;
  }
  ranges.sort((a, b) => a.start - b.start || a.end - b.end);
  return { text, ranges };
}
