/**
 * The token stream the syntax parser reads: places.ts's tokens, with the few multi-character
 * forms that tokenizer leaves apart joined (`->`, `.5`, `$1`), and every token that a bound
 * value produced merged into one `bind` token, since Snowflake receives `?` there, whatever
 * the sample value looks like inlined.
 */
import { tokenizeSql, type SqlToken } from '../places.js';

export type TokKind = 'ident' | 'quoted' | 'string' | 'number' | 'punct' | 'op' | 'bind' | 'var' | 'eof';

export interface Tok {
  kind: TokKind;
  text: string;
  /** Lower case text of an identifier ('' for other kinds): keywords are compared on it. */
  lw: string;
  start: number;
  end: number;
  /** A string or quoted name whose closing quote never comes (it runs to the end of the text). */
  unclosed?: boolean;
}

/** The rendered range of the bound value at `offset`, or null when no value is bound there. */
export type BindAt = (offset: number) => { start: number; end: number } | null;

export function syntaxTokens(sql: string, bindAt?: BindAt): Tok[] {
  const raw = tokenizeSql(sql);
  const out: Tok[] = [];
  const push = (kind: TokKind, t: { start: number; end: number }, text = sql.slice(t.start, t.end)) =>
    out.push({ kind, text, lw: kind === 'ident' ? text.toLowerCase() : '', start: t.start, end: t.end });
  for (let k = 0; k < raw.length; k++) {
    const t = raw[k]!;
    const next: SqlToken | undefined = raw[k + 1];
    const bind = bindAt?.(t.start);
    if (bind) {
      let j = k;
      while (j + 1 < raw.length && raw[j + 1]!.start < bind.end) j++;
      push('bind', { start: t.start, end: Math.max(raw[j]!.end, t.end) });
      k = j;
      continue;
    }
    const glued = next && next.start === t.end;
    if (t.text === '-' && glued && next.text === '>') {
      push('op', { start: t.start, end: next.end });
      k++;
    } else if (t.text === '.' && glued && next.type === 'number' && !isName(out[out.length - 1], t)) {
      push('number', { start: t.start, end: next.end });
      k++;
    } else if (t.text === '$' && glued && (next.type === 'number' || next.type === 'ident')) {
      push('var', { start: t.start, end: next.end });
      k++;
    } else if (t.type === 'quoted' && out.length && out[out.length - 1]!.kind === 'quoted' && out[out.length - 1]!.end === t.start) {
      // "a""b": places.ts ends the name at the doubled quote; it is one name.
      const q = out.pop()!;
      push('quoted', { start: q.start, end: t.end });
    } else {
      push(t.type, t);
      if ((t.type === 'string' || t.type === 'quoted') && !closed(t.text)) out[out.length - 1]!.unclosed = true;
    }
  }
  const n = sql.length;
  out.push({ kind: 'eof', text: '', lw: '', start: n, end: n });
  return out;
}

/** Whether a string or quoted-name token (as places.ts cuts it) ends with its closing quote. */
function closed(text: string): boolean {
  if (text.startsWith('$$')) return text.length >= 4 && text.endsWith('$$');
  if (text.startsWith('"')) return text.length >= 2 && text.endsWith('"');
  for (let i = 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === "'" && text[i + 1] === "'") i++;
    else if (c === "'") return i === text.length - 1;
  }
  return false;
}

/** Whether `prev` ends a name right before the '.' (then `.5` is `name.5`, a path step). */
function isName(prev: Tok | undefined, dot: SqlToken): boolean {
  return !!prev && prev.end === dot.start && (prev.kind === 'ident' || prev.kind === 'quoted' || prev.text === ')' || prev.text === ']');
}
