/** A line diff for the report: `-` legacy line, `+` migrated line, two lines of context. */
export function lineDiff(before: string, after: string, context = 2): string {
  const a = before.split('\n');
  const b = after.split('\n');
  // LCS table; renders are small (a template's SQL), so the quadratic table is fine. Bounded
  // anyway so a pathological render cannot stall a report.
  if (a.length * b.length > 4_000_000) return `- (${a.length} lines)\n+ (${b.length} lines)\n(too large to diff)`;
  const lcs: number[][] = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  const ops: { op: ' ' | '-' | '+'; line: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      ops.push({ op: ' ', line: a[i++]! });
      j++;
    } else if (j < b.length && (i >= a.length || lcs[i]![j + 1]! >= lcs[i + 1]![j]!)) ops.push({ op: '+', line: b[j++]! });
    else ops.push({ op: '-', line: a[i++]! });
  }
  const show = ops.map((o, k) => o.op !== ' ' || ops.slice(Math.max(0, k - context), k + context + 1).some(x => x.op !== ' '));
  const out: string[] = [];
  ops.forEach((o, k) => {
    if (show[k]) out.push(`${o.op} ${o.line}`);
    else if (show[k - 1]) out.push('  …');
  });
  return out.join('\n');
}
