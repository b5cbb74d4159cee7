/**
 * Where each character of a YAML scalar's value came from in the source. The `yaml` package
 * gives the value (YAML 1.2, the text Snowflake receives) and the source range; this module
 * walks the source scalar again, style by style (plain, single- and double-quoted, literal and
 * folded blocks with their indicators), so that every value character maps to the source
 * character that produced it, even through escapes and line folding.
 */

export type ScalarStyle = 'PLAIN' | 'QUOTE_SINGLE' | 'QUOTE_DOUBLE' | 'BLOCK_LITERAL' | 'BLOCK_FOLDED';

export interface MappedValue {
  value: string;
  /** `hostOf[i]` is the source offset of value character i; one extra entry marks the end. */
  hostOf: number[];
  /** False when the walk did not reproduce the value and equal characters were aligned instead. */
  exact: boolean;
}

/**
 * Maps `value` (what the YAML library decoded) onto `src[start, end)`. `parentIndent` is the
 * indentation of the node that owns a block scalar (for an explicit indentation indicator).
 * When the walk does not reproduce `value` (a form this walker does not know), the map falls
 * back to aligning equal characters, which is still right for every character copied as is.
 */
export function mapScalar(src: string, style: ScalarStyle, start: number, end: number, value: string, parentIndent: number): MappedValue {
  const walked: MappedValue | null =
    style === 'BLOCK_LITERAL' || style === 'BLOCK_FOLDED'
      ? walkBlock(src, start, end, parentIndent)
      : style === 'PLAIN'
        ? walkFlow(src, start, end, 'plain')
        : walkFlow(src, start + 1, Math.max(start + 1, end - 1), style === 'QUOTE_SINGLE' ? 'single' : 'double');
  if (walked && walked.value === value) return walked;
  return { value, hostOf: align(src, start, end, value), exact: false };
}

// ------------------------------------------------------------------ flow scalars

const isBreakAt = (s: string, i: number) => s[i] === '\n' || s[i] === '\r';
const breakLength = (s: string, i: number) => (s[i] === '\r' && s[i + 1] === '\n' ? 2 : 1);
const isWhite = (c: string | undefined) => c === ' ' || c === '\t';

const DOUBLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  '\t': '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\x85',
  _: '\xa0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_ESCAPES: Record<string, number> = { x: 2, u: 4, U: 8 };

/** Plain and quoted scalars: line folding (YAML 1.2 §6.5, §7.3) and, for double quotes, escapes. */
function walkFlow(src: string, start: number, end: number, kind: 'plain' | 'single' | 'double'): MappedValue {
  let value = '';
  const hostOf: number[] = [];
  const emit = (s: string, at: number) => {
    value += s;
    for (let k = 0; k < s.length; k++) hostOf.push(at);
  };
  // Whitespace seen on the current line, emitted only if something other than a break follows.
  let pending: number[] = [];
  const flush = () => {
    for (const at of pending) emit(src[at]!, at);
    pending = [];
  };
  /** After a line break at `i`: counts empty lines, skips the next line's indentation. */
  const fold = (i: number, escaped: boolean): number => {
    let j = i + breakLength(src, i);
    const empties: number[] = [];
    for (;;) {
      let k = j;
      while (k < end && isWhite(src[k])) k++;
      if (k < end && isBreakAt(src, k)) {
        empties.push(k);
        j = k + breakLength(src, k);
        continue;
      }
      j = k;
      break;
    }
    if (escaped) for (const at of empties) emit('\n', at);
    else if (!empties.length) emit(' ', i);
    else for (const at of empties) emit('\n', at);
    return j;
  };
  let i = start;
  while (i < end) {
    const c = src[i]!;
    if (isBreakAt(src, i)) {
      pending = [];
      i = fold(i, false);
      continue;
    }
    if (isWhite(c)) {
      pending.push(i);
      i++;
      continue;
    }
    flush();
    if (kind === 'single' && c === "'" && src[i + 1] === "'") {
      emit("'", i);
      i += 2;
      continue;
    }
    if (kind === 'double' && c === '\\' && i + 1 < end) {
      const n = src[i + 1]!;
      if (isBreakAt(src, i + 1)) {
        i = fold(i + 1, true);
        continue;
      }
      const hex = HEX_ESCAPES[n];
      if (hex !== undefined) {
        const digits = src.slice(i + 2, i + 2 + hex);
        const code = /^[0-9a-fA-F]+$/.test(digits) && digits.length === hex ? parseInt(digits, 16) : NaN;
        emit(Number.isNaN(code) || code > 0x10ffff ? n : String.fromCodePoint(code), i);
        i += Number.isNaN(code) ? 2 : 2 + hex;
        continue;
      }
      emit(DOUBLE_ESCAPES[n] ?? n, i);
      i += 2;
      continue;
    }
    emit(c, i);
    i++;
  }
  flush();
  hostOf.push(end);
  return { value, hostOf, exact: true };
}

// ------------------------------------------------------------------ block scalars

interface BlockLine {
  /** Offset of the first content character (after the indentation). */
  contentStart: number;
  text: string;
  /** Offset of the line break ending the line (or the end). */
  breakAt: number;
  hasBreak: boolean;
  empty: boolean;
}

/** Literal `|` and folded `>` block scalars with chomping and indentation indicators (§8.1). */
function walkBlock(src: string, start: number, end: number, parentIndent: number): MappedValue | null {
  const header = /^([|>])([1-9]?)([+-]?)([1-9]?)/.exec(src.slice(start, start + 4));
  if (!header) return null;
  const folded = header[1] === '>';
  const indicator = Number(header[2] || header[4] || 0);
  const chomp = header[3] || '';
  let p = start;
  while (p < end && !isBreakAt(src, p)) p++;
  if (p >= end) return { value: '', hostOf: [end], exact: true };
  p += breakLength(src, p);
  // Raw lines of the body.
  const raw: { start: number; text: string; breakAt: number; hasBreak: boolean }[] = [];
  while (p < end) {
    let e = p;
    while (e < end && !isBreakAt(src, e)) e++;
    raw.push({ start: p, text: src.slice(p, e), breakAt: e, hasBreak: e < end });
    p = e < end ? e + breakLength(src, e) : e;
  }
  const lead = (t: string) => /^ */.exec(t)![0].length;
  let indent: number;
  if (indicator) indent = parentIndent + indicator;
  else {
    // Only spaces indent: a line holding a tab has content.
    const first = raw.find(l => !/^ *$/.test(l.text));
    indent = first ? lead(first.text) : Math.max(0, ...raw.map(l => lead(l.text)));
  }
  const lines: BlockLine[] = raw.map(l => {
    const spaces = lead(l.text);
    const empty = /^ *$/.test(l.text) && spaces <= indent;
    const cut = Math.min(indent, l.text.length);
    return { contentStart: l.start + cut, text: empty ? '' : l.text.slice(cut), breakAt: l.breakAt, hasBreak: l.hasBreak, empty };
  });
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.empty) last--;
  let value = '';
  const hostOf: number[] = [];
  const emit = (s: string, at: number) => {
    value += s;
    for (let k = 0; k < s.length; k++) hostOf.push(at);
  };
  const spaced = (l: BlockLine) => isWhite(l.text[0]);
  // Leading empty lines are kept as line feeds.
  let k = 0;
  for (; k <= last && lines[k]!.empty; k++) emit('\n', lines[k]!.breakAt);
  let prev: BlockLine | null = null;
  let prevIndex = -1;
  for (; k <= last; k++) {
    const l = lines[k]!;
    if (l.empty) continue;
    if (prev) {
      // The breaks between prev and l: prev's own break, then one per empty line between.
      const empties = lines.slice(prevIndex + 1, k).filter(x => x.empty);
      if (folded && !spaced(prev) && !spaced(l)) {
        if (!empties.length) emit(' ', prev.breakAt);
        else for (const x of empties) emit('\n', x.breakAt);
      } else {
        emit('\n', prev.breakAt);
        for (const x of empties) emit('\n', x.breakAt);
      }
    }
    for (let c = 0; c < l.text.length; c++) emit(l.text[c]!, l.contentStart + c);
    prev = l;
    prevIndex = k;
  }
  // Chomping: strip drops the final break, clip keeps it, keep also keeps trailing empty lines.
  if (prev && chomp !== '-' && prev.hasBreak) emit('\n', prev.breakAt);
  if (chomp === '+') {
    const trailing = lines.slice(prev ? prevIndex + 1 : k).filter(x => x.empty && x.hasBreak);
    for (const x of trailing) emit('\n', x.breakAt);
  }
  hostOf.push(end);
  return { value, hostOf, exact: true };
}

// ------------------------------------------------------------------ fallback

/** Aligns equal characters in order; a character with no equal source character maps to the last match. */
function align(src: string, start: number, end: number, value: string): number[] {
  const hostOf: number[] = [];
  let h = start;
  for (let k = 0; k < value.length; k++) {
    let j = h;
    while (j < end && src[j] !== value[k]) j++;
    if (j < end) {
      hostOf.push(j);
      h = j + 1;
    } else hostOf.push(Math.min(h, end));
  }
  hostOf.push(end);
  return hostOf;
}
