/**
 * Index of the item whose [start, end) contains `offset`, in items sorted by start and not
 * overlapping (tokens, output segments); -1 when none does.
 */
export function indexOfRange(items: readonly { start: number; end: number }[], offset: number): number {
  let lo = 0;
  let hi = items.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const it = items[mid]!;
    if (offset < it.start) hi = mid - 1;
    else if (offset >= it.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}
