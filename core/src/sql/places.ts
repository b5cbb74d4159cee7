/**
 * Where an offset of rendered Snowflake SQL sits: which clause governs it, and whether it is
 * an identifier (raw, or a string inside IDENTIFIER()) or a plain string literal.
 *
 * A token-level classifier rather than a full parse: it must answer for every render,
 * including script blocks and SQL the parser does not support, and it only needs the
 * nearest clause keyword, found by scanning back over balanced parentheses.
 */
import { indexOfRange } from '../text/ranges.js';

export type SqlTokenType = 'ident' | 'quoted' | 'string' | 'number' | 'punct' | 'op';

export interface SqlToken {
  type: SqlTokenType;
  text: string;
  start: number;
  end: number;
}

// Character classes by code (the tokenizer runs on every render, several times per keystroke).
const isSpace = (c: string): boolean => {
  const k = c.charCodeAt(0);
  return k === 32 || (k >= 9 && k <= 13) || (k > 127 && /\s/.test(c));
};
const isNameStart = (k: number): boolean => (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || k === 95;
const isNamePart = (k: number): boolean => isNameStart(k) || (k >= 48 && k <= 57) || k === 36;

export function tokenizeSql(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  let i = 0;
  const n = sql.length;
  while (i < n) {
    const c = sql[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if ((c === '-' && sql[i + 1] === '-') || (c === '/' && sql[i + 1] === '/')) {
      const e = sql.indexOf('\n', i);
      i = e < 0 ? n : e + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const e = sql.indexOf('*/', i + 2);
      i = e < 0 ? n : e + 2;
      continue;
    }
    const start = i;
    if (c === "'") {
      i++;
      while (i < n) {
        if (sql[i] === '\\') i += 2;
        else if (sql[i] === "'" && sql[i + 1] === "'") i += 2;
        else if (sql[i] === "'") {
          i++;
          break;
        } else i++;
      }
      out.push({ type: 'string', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === '$' && sql[i + 1] === '$') {
      const e = sql.indexOf('$$', i + 2);
      i = e < 0 ? n : e + 2;
      out.push({ type: 'string', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c === '"') {
      const e = sql.indexOf('"', i + 1);
      i = e < 0 ? n : e + 1;
      out.push({ type: 'quoted', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (isNameStart(c.charCodeAt(0))) {
      while (i < n && isNamePart(sql.charCodeAt(i))) i++;
      out.push({ type: 'ident', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if (c >= '0' && c <= '9') {
      while (i < n) {
        const k = sql.charCodeAt(i);
        if (!((k >= 48 && k <= 57) || k === 46 || k === 101 || k === 69)) break;
        i++;
      }
      out.push({ type: 'number', text: sql.slice(start, i), start, end: i });
      continue;
    }
    if ('(),;.'.includes(c)) {
      out.push({ type: 'punct', text: c, start, end: i + 1 });
      i++;
      continue;
    }
    const two = sql.slice(i, i + 2);
    const op = ['<=', '>=', '<>', '!=', '||', '::', '=>'].includes(two) ? two : c;
    out.push({ type: 'op', text: op, start, end: i + op.length });
    i += op.length;
  }
  return out;
}

export type Clause = 'select' | 'from' | 'on' | 'where' | 'group' | 'having' | 'qualify' | 'order' | 'limit' | 'return' | 'other';

export interface SqlPlace {
  clause: Clause;
  /** The text is (part of) an identifier: a raw name, or the string inside IDENTIFIER(). */
  identifier: boolean;
  /** Inside a string literal that is not an IDENTIFIER() argument. */
  literal: boolean;
  /** Inside a string literal that directly follows `alias.` (renders as p.'col'). */
  literalAfterDot: boolean;
  /** A table reference: directly after FROM/JOIN (possibly inside IDENTIFIER()). */
  table: boolean;
  /** Inside the SELECT of a CREATE TABLE cleanroom.activation_data_* / temp_result_data. */
  activation: boolean;
  /** The governing clause is inside parentheses (a CTE body or a subquery): not the final result. */
  nested: boolean;
  /** Names of the function calls around the place, innermost first (IDENTIFIER excluded). */
  functions: string[];
}

const CLAUSE_WORDS: Record<string, Clause> = {
  select: 'select',
  from: 'from',
  join: 'from',
  on: 'on',
  using: 'on',
  where: 'where',
  having: 'having',
  qualify: 'qualify',
  limit: 'limit',
  return: 'return',
};

export class SqlText {
  readonly tokens: SqlToken[];
  /** Parenthesis depth of each token within its statement, computed once (queries are per use). */
  private readonly depth: Int32Array;
  /** Index of the first token of each token's statement. */
  private readonly stmtStart: Int32Array;
  /** Statements (by first token) that create an activation table. */
  private readonly activationStmts = new Set<number>();

  constructor(readonly sql: string) {
    this.tokens = tokenizeSql(sql);
    const n = this.tokens.length;
    this.depth = new Int32Array(n);
    this.stmtStart = new Int32Array(n);
    let depth = 0;
    let start = 0;
    for (let i = 0; i < n; i++) {
      const t = this.tokens[i]!;
      if (t.text === ')') depth = Math.max(0, depth - 1);
      this.depth[i] = depth;
      this.stmtStart[i] = start;
      if (t.text === '(') depth++;
      else if (t.text === ';' && depth === 0) start = i + 1;
    }
    for (let i = 0; i < n; i++) {
      if (!/^create$/i.test(this.tokens[i]!.text)) continue;
      const rest = this.tokens
        .slice(i, Math.min(i + 12, n))
        .map(x => x.text)
        .join('');
      if (/table(ifnotexists)?cleanroom\.(activation_data_\w*|temp_result_data)/i.test(rest)) this.activationStmts.add(this.stmtStart[i]!);
    }
  }

  tokenAt(offset: number): number {
    return indexOfRange(this.tokens, offset);
  }

  placeOf(offset: number): SqlPlace | null {
    const k = this.tokenAt(offset);
    if (k < 0) return null;
    const t = this.tokens[k]!;
    const prev = this.tokens[k - 1];
    const prev2 = this.tokens[k - 2];
    const next = this.tokens[k + 1];
    const inIdentifierCall = t.type === 'string' && prev?.text === '(' && /^identifier$/i.test(prev2?.text ?? '') && next?.text === ')';
    const identifier = t.type === 'ident' || t.type === 'quoted' || inIdentifierCall;
    const literal = t.type === 'string' && !inIdentifierCall;
    const literalAfterDot = literal && prev?.text === '.';
    // The token that stands for this expression when looking backwards for its clause.
    const head = inIdentifierCall ? k - 2 : this.headOfDotted(k);
    const { clause, callDepth, at, functions } = this.clauseBefore(head);
    const before = this.tokens[head - 1];
    const table = clause === 'from' && callDepth === 0 && !!before && (/^(from|join)$/i.test(before.text) || before.text === ',');
    return {
      clause: clause === 'from' && callDepth > 0 ? 'select' : clause,
      identifier,
      literal,
      literalAfterDot,
      table,
      activation: clause === 'select' && this.inActivationCreate(head),
      nested: at >= 0 && this.insideParens(at),
      functions,
    };
  }

  /** For `a.b.c`, the index of `a`. */
  private headOfDotted(k: number): number {
    let h = k;
    while (h >= 2 && this.tokens[h - 1]!.text === '.' && ['ident', 'quoted'].includes(this.tokens[h - 2]!.type)) h -= 2;
    return h;
  }

  /** Scans back from token k to the nearest clause keyword at the same nesting level or outside it. */
  private clauseBefore(k: number): { clause: Clause; callDepth: number; at: number; functions: string[] } {
    let depth = 0;
    let callDepth = 0;
    let comma = false;
    const functions: string[] = [];
    for (let j = k - 1; j >= 0; j--) {
      const t = this.tokens[j]!;
      if (t.text === ',' && depth === 0) comma = true;
      if (t.text === ')') depth++;
      else if (t.text === '(') {
        if (depth > 0) depth--;
        else {
          // Stepping out of parentheses: a function call's arguments, or a subquery/group.
          const fn = this.tokens[j - 1];
          if (fn && fn.type === 'ident' && !CLAUSE_WORDS[fn.text.toLowerCase()] && !/^(in|as|and|or|not|exists|identifier)$/i.test(fn.text)) {
            callDepth++;
            functions.push(fn.text.toLowerCase());
          }
        }
      } else if (depth === 0 && t.type === 'ident') {
        const w = t.text.toLowerCase();
        if (w === 'by') {
          const p = this.tokens[j - 1]?.text.toLowerCase();
          if (p === 'group') return { clause: 'group', callDepth, at: j, functions };
          if (p === 'order') return { clause: 'order', callDepth, at: j, functions };
          if (p === 'partition') continue;
        }
        const c = CLAUSE_WORDS[w];
        // `JOIN t ON a = b, table(f(x))`: the comma ends the join condition and starts a new FROM item.
        if (c === 'on' && comma) return { clause: 'from', callDepth, at: j, functions };
        if (c) return { clause: c, callDepth, at: j, functions };
      } else if (depth === 0 && t.text === ';') break;
    }
    return { clause: 'other', callDepth, at: -1, functions };
  }

  /** Whether token k sits inside an unclosed parenthesis of its statement. */
  private insideParens(k: number): boolean {
    return this.depth[k]! > 0;
  }

  private inActivationCreate(k: number): boolean {
    return this.activationStmts.has(this.stmtStart[k]!);
  }
}
