/**
 * Jinja2 lexer with exact offsets. Follows jinja2/lexer.py's default configuration:
 * `{{ }}`, `{% %}`, `{# #}`, whitespace control with `-` (and `+`, accepted and ignored
 * since lstrip/trim are off), `{% raw %}`, brace balancing inside tags, one trailing newline
 * dropped, newlines normalised to \n in data.
 *
 * It never throws: problems are collected and lexing continues, so the parser can still
 * build a tree and report every error.
 */
import type { Token, TokenType } from './ast.js';
import type { Span } from '../text/span.js';

export interface LexProblem {
  message: string;
  span: Span;
}

export interface LexResult {
  tokens: Token[];
  problems: LexProblem[];
}

const OPERATORS = ['**', '//', '==', '!=', '<=', '>=', '+', '-', '/', '*', '%', '~', '[', ']', '(', ')', '{', '}', '<', '>', '=', '.', ':', '|', ',', ';'];
const OPENERS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };
/** Operators by first character, longest first. */
const OPERATOR_BY_CHAR = new Map<string, string[]>();
for (const o of OPERATORS) OPERATOR_BY_CHAR.set(o[0]!, [...(OPERATOR_BY_CHAR.get(o[0]!) ?? []), o]);

// Character classes with ASCII fast paths: the lexer runs on every keystroke and on
// hostile megabyte inputs, where a regex per character costs seconds.
const isWs = (c: string) => {
  const k = c.charCodeAt(0);
  if (k < 128) return k === 32 || (k >= 9 && k <= 13) || (k >= 28 && k <= 31);
  return /\s/.test(c);
};
const isNameStart = (c: string) => {
  const k = c.charCodeAt(0);
  if (k < 128) return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || k === 95;
  return /[\p{L}\p{Nl}]/u.test(c);
};
const isNameChar = (c: string) => {
  const k = c.charCodeAt(0);
  if (k < 128) return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95;
  return /[\p{L}\p{Nl}\p{Mn}\p{Mc}\p{Nd}\p{Pc}]/u.test(c);
};
const isDigit = (c: string) => {
  const k = c.charCodeAt(0);
  return k >= 48 && k <= 57;
};

function rstripWs(text: string, start: number, end: number): number {
  while (end > start && isWs(text[end - 1]!)) end--;
  return end;
}
function lstripWs(text: string, start: number, end: number): number {
  while (start < end && isWs(text[start]!)) start++;
  return start;
}

export function normalizeNewlines(s: string): string {
  return s.indexOf('\r') < 0 ? s : s.replace(/\r\n?/g, '\n');
}

export function lex(source: string): LexResult {
  const tokens: Token[] = [];
  const problems: LexProblem[] = [];
  // Jinja drops a single trailing newline (keep_trailing_newline=False).
  let end = source.length;
  if (source.endsWith('\r\n')) end -= 2;
  else if (source.endsWith('\n') || source.endsWith('\r')) end -= 1;

  let pos = 0;
  /** Set when the previous tag ended with `-`: the next data is left-stripped. */
  let stripNext = false;

  const pushData = (start: number, stop: number, stripRight: boolean) => {
    let s = start;
    let e = stop;
    if (stripNext) s = lstripWs(source, s, e);
    if (stripRight) e = rstripWs(source, s, e);
    stripNext = false;
    if (e > s) tokens.push({ type: 'data', value: normalizeNewlines(source.slice(s, e)), span: { start: s, end: e } });
  };

  while (pos < end) {
    const open = findTagStart(source, pos, end);
    if (open < 0) {
      pushData(pos, end, false);
      break;
    }
    const kind = source[open + 1]!; // '{', '%' or '#'
    const marker = source[open + 2];
    const stripLeft = marker === '-';
    const skipMarker = marker === '-' || marker === '+' ? 1 : 0;

    // raw blocks are recognised at lexer level, exactly as Jinja does.
    if (kind === '%') {
      const raw = matchRaw(source, open, end);
      if (raw) {
        pushData(pos, open, stripLeft);
        let cs = raw.contentStart;
        let ce = raw.contentEnd;
        if (raw.stripAfterBegin) cs = lstripWs(source, cs, ce);
        if (raw.stripBeforeEnd) ce = rstripWs(source, cs, ce);
        if (raw.closed) {
          if (ce > cs) tokens.push({ type: 'data', value: normalizeNewlines(source.slice(cs, ce)), span: { start: cs, end: ce } });
        } else {
          problems.push({ message: 'Missing end of raw directive', span: { start: open, end: raw.contentStart } });
        }
        stripNext = raw.stripAfterEnd;
        pos = raw.end;
        continue;
      }
    }

    pushData(pos, open, stripLeft);
    const innerStart = open + 2 + skipMarker;

    if (kind === '#') {
      const close = findCommentEnd(source, innerStart, end);
      if (close < 0) {
        problems.push({ message: 'Missing end of comment tag', span: { start: open, end } });
        break;
      }
      stripNext = source[close - 1] === '-' && close - 1 >= innerStart;
      pos = close + 2;
      continue;
    }

    const beginType: TokenType = kind === '{' ? 'variable_begin' : 'block_begin';
    const endType: TokenType = kind === '{' ? 'variable_end' : 'block_end';
    const closer = kind === '{' ? '}}' : '%}';
    tokens.push({ type: beginType, value: source.slice(open, innerStart), span: { start: open, end: innerStart } });
    pos = lexTag(source, innerStart, end, closer, endType, tokens, problems, s => (stripNext = s));
  }
  tokens.push({ type: 'eof', value: '', span: { start: source.length, end: source.length } });
  return { tokens, problems };
}

function findTagStart(source: string, from: number, end: number): number {
  let i = from;
  while (i < end) {
    i = source.indexOf('{', i);
    if (i < 0 || i + 1 >= end) return -1;
    const n = source[i + 1];
    if (n === '{' || n === '%' || n === '#') return i;
    i++;
  }
  return -1;
}

function findCommentEnd(source: string, from: number, end: number): number {
  const i = source.indexOf('#}', from);
  return i >= 0 && i < end ? i : -1;
}

interface RawMatch {
  contentStart: number;
  contentEnd: number;
  end: number;
  closed: boolean;
  stripAfterBegin: boolean;
  stripBeforeEnd: boolean;
  stripAfterEnd: boolean;
}

const RAW_BEGIN = /\{%[-+]?\s*raw\s*(-?)%\}/y;
const RAW_END = /\{%([-+]?)\s*endraw\s*(-?)%\}/g;

function matchRaw(source: string, open: number, end: number): RawMatch | null {
  RAW_BEGIN.lastIndex = open;
  const m = RAW_BEGIN.exec(source);
  if (!m) return null;
  const contentStart = open + m[0].length;
  RAW_END.lastIndex = contentStart;
  const e = RAW_END.exec(source);
  if (!e || e.index >= end) {
    return { contentStart, contentEnd: end, end, closed: false, stripAfterBegin: m[1] === '-', stripBeforeEnd: false, stripAfterEnd: false };
  }
  return {
    contentStart,
    contentEnd: e.index,
    end: Math.min(e.index + e[0].length, end),
    closed: true,
    stripAfterBegin: m[1] === '-',
    stripBeforeEnd: e[1] === '-',
    stripAfterEnd: e[2] === '-',
  };
}

/** Lexes the inside of `{{ }}` or `{% %}`; returns the offset after the closer. */
function lexTag(
  source: string,
  start: number,
  end: number,
  closer: string,
  endType: TokenType,
  tokens: Token[],
  problems: LexProblem[],
  setStrip: (s: boolean) => void,
): number {
  const balance: string[] = [];
  let i = start;
  while (i < end) {
    const c = source[i]!;
    if (isWs(c)) {
      i++;
      continue;
    }
    // The end of the tag only counts when brackets are balanced, as in Jinja.
    if (balance.length === 0) {
      if ((c === '-' || c === '+') && source.startsWith(closer, i + 1)) {
        tokens.push({ type: endType, value: c + closer, span: { start: i, end: i + 1 + closer.length } });
        setStrip(c === '-');
        return i + 1 + closer.length;
      }
      if (source.startsWith(closer, i)) {
        tokens.push({ type: endType, value: closer, span: { start: i, end: i + closer.length } });
        setStrip(false);
        return i + closer.length;
      }
    }
    if (c === "'" || c === '"') {
      const s = lexString(source, i, end);
      if (s) {
        tokens.push({ type: 'string', value: s.value, span: { start: i, end: s.end } });
        i = s.end;
        continue;
      }
      problems.push({ message: `unexpected char ${pyRepr(c)} at ${i}`, span: { start: i, end: i + 1 } });
      i++;
      continue;
    }
    if (isDigit(c)) {
      const n = lexNumber(source, i, tokens);
      if (n) {
        tokens.push(n);
        i = n.span.end;
        continue;
      }
    }
    if (isNameStart(c)) {
      let j = i + 1;
      while (j < end && isNameChar(source[j]!)) j++;
      tokens.push({ type: 'name', value: source.slice(i, j), span: { start: i, end: j } });
      i = j;
      continue;
    }
    const op = OPERATOR_BY_CHAR.get(c)?.find(o => source.startsWith(o, i));
    if (op) {
      if (OPENERS[op]) balance.push(OPENERS[op]!);
      else if (op === ')' || op === ']' || op === '}') {
        if (balance.length === 0 || balance[balance.length - 1] !== op) {
          problems.push({ message: `unexpected ${pyRepr(op)}`, span: { start: i, end: i + 1 } });
          // `{{ x }` is almost always a typo for `{{ x }}`: end the expression here so the
          // rest of the template is not swallowed into it.
          if (op === '}' && closer === '}}' && balance.length === 0) {
            tokens.push({ type: endType, value: '', span: { start: i, end: i + 1 } });
            setStrip(false);
            return i + 1;
          }
        } else balance.pop();
      }
      tokens.push({ type: 'operator', value: op, span: { start: i, end: i + op.length } });
      i += op.length;
      continue;
    }
    // `\"` (a quote escaped for another layer: a YAML block or a SQL string does not unescape
    // it) is one mistake: Jinja stops at the backslash; the quote is not a second one.
    const escapedQuote = c === '\\' && (source[i + 1] === '"' || source[i + 1] === "'") ? 2 : 1;
    problems.push({ message: `unexpected char ${pyRepr(c)} at ${i}`, span: { start: i, end: i + escapedQuote } });
    i += escapedQuote;
  }
  // Reached the end of the template inside a tag: close it so parsing can go on.
  const what = endType === 'variable_end' ? "'}}'" : "'%}'";
  const tagStart = findOpenerBefore(tokens);
  problems.push({ message: `unexpected end of template, expected ${what}`, span: { start: tagStart, end } });
  tokens.push({ type: endType, value: '', span: { start: end, end } });
  setStrip(false);
  return end;
}

function findOpenerBefore(tokens: Token[]): number {
  for (let k = tokens.length - 1; k >= 0; k--) {
    const t = tokens[k]!;
    if (t.type === 'variable_begin' || t.type === 'block_begin') return t.span.start;
  }
  return 0;
}

function lexNumber(source: string, i: number, tokens: Token[]): Token | null {
  const prev = tokens[tokens.length - 1];
  // `x.0.1` is getattr twice, not the float 0.1: Jinja's float regex has (?<!\.).
  const afterDot = prev && prev.type === 'operator' && prev.value === '.' && prev.span.end === i;
  const rest = source.slice(i, i + 400);
  const radix = /^0([bB](_?[01])+|[oO](_?[0-7])+|[xX](_?[0-9a-fA-F])+)/.exec(rest);
  if (radix) {
    const digits = radix[0].slice(2).replace(/_/g, '');
    const base = /[bB]/.test(radix[0][1]!) ? 2 : /[oO]/.test(radix[0][1]!) ? 8 : 16;
    return { type: 'integer', value: String(parseInt(digits, base)), span: { start: i, end: i + radix[0].length } };
  }
  if (!afterDot) {
    const f = /^(\d+_)*\d+((\.(\d+_)*\d+)?[eE][+-]?(\d+_)*\d+|\.(\d+_)*\d+)/.exec(rest);
    if (f) return { type: 'float', value: f[0].replace(/_/g, ''), span: { start: i, end: i + f[0].length } };
  }
  const n = /^(\d+_)*\d+/.exec(rest);
  if (n) return { type: 'integer', value: n[0].replace(/_/g, ''), span: { start: i, end: i + n[0].length } };
  return null;
}

/** Python string literal body semantics (Jinja decodes with unicode-escape). */
function lexString(source: string, start: number, end: number): { value: string; end: number } | null {
  const q = source[start]!;
  let i = start + 1;
  let out = '';
  while (i < end) {
    // Copy the plain run up to the next quote, backslash or CR in one slice.
    let j = i;
    while (j < end) {
      const k = source.charCodeAt(j);
      if (k === 92 /* \\ */ || k === 13 || source[j] === q) break;
      j++;
    }
    out += source.slice(i, j);
    i = j;
    if (i >= end) return null;
    const c = source[i]!;
    if (c === q) return { value: out, end: i + 1 };
    if (c === '\r') {
      // Jinja normalises newlines in the source before decoding escapes: a raw CR LF
      // becomes \n, an escaped "\r\n" stays.
      out += '\n';
      i += source[i + 1] === '\n' ? 2 : 1;
      continue;
    }
    const n = source[i + 1];
    if (n === undefined || i + 1 >= end) return null;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', v: '\v', '\n': '' };
    if (Object.prototype.hasOwnProperty.call(simple, n)) {
      out += simple[n];
      i += 2;
      continue;
    }
    if (n === 'x' || n === 'u' || n === 'U') {
      const len = n === 'x' ? 2 : n === 'u' ? 4 : 8;
      const h = source.slice(i + 2, i + 2 + len);
      if (h.length === len && /^[0-9a-fA-F]+$/.test(h)) {
        const cp = parseInt(h, 16);
        out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '';
        i += 2 + len;
        continue;
      }
    }
    const oct = /^[0-7]{1,3}/.exec(source.slice(i + 1, i + 4));
    if (oct) {
      out += String.fromCodePoint(parseInt(oct[0], 8));
      i += 1 + oct[0].length;
      continue;
    }
    // Unknown escapes keep their backslash, as Python's unicode-escape does.
    out += '\\' + n;
    i += 2;
  }
  return null;
}

function pyRepr(c: string): string {
  return c === "'" ? `"'"` : `'${c}'`;
}
