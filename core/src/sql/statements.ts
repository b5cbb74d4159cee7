/**
 * Splits rendered Snowflake SQL into statements, looking inside Snowflake Scripting blocks
 * (DECLARE … BEGIN … END) and into `$$…$$` SQL held by LET / EXECUTE IMMEDIATE, so that the
 * statements a clean room template actually runs (CREATE TABLE … AS SELECT, SELECT, CALL)
 * can each be parsed, and the scripting around them (RETURN, LET, control flow) recognised.
 *
 * Works on the tokens of places.ts, so strings and comments never split a statement.
 */
import { tokenizeSql, type SqlToken } from './places.js';

export type StatementKind =
  /** Plain SQL for the parser: SELECT, WITH, CREATE, CALL, INSERT … */
  | 'sql'
  /** RETURN expr (scripting). */
  | 'return'
  /** LET / `name := …` / EXECUTE IMMEDIATE (scripting; the SQL inside `$$…$$` is in `inner`). */
  | 'scripting'
  /** A declaration of a DECLARE section. */
  | 'declare'
  /** IF / FOR / WHILE / LOOP / REPEAT / CASE / EXCEPTION blocks: not looked into. */
  | 'control';

export interface SqlStatement {
  kind: StatementKind;
  /** Offsets in the text given to splitStatements (not including the closing ';'). */
  start: number;
  end: number;
  /** Inside a BEGIN … END block. */
  script: boolean;
  /** The first word, lower case ('select', 'create', 'return', 'if' …). */
  keyword: string;
  /** Statements of SQL text held in a `$$…$$` string (LET q := $$…$$, EXECUTE IMMEDIATE $$…$$). */
  inner?: SqlStatement[];
}

export interface StatementSplit {
  statements: SqlStatement[];
  /** BEGIN … END blocks at the top level (with their DECLARE section). */
  blocks: { start: number; end: number }[];
  tokens: SqlToken[];
}

/** Nested blocks looked into; deeper ones are one 'control' statement (a hostile render can nest thousands). */
const MAX_BLOCK_DEPTH = 50;
const CONTROL = new Set(['if', 'for', 'while', 'loop', 'repeat', 'case']);
/** Tokens after which a scripting keyword starts a statement. */
const STATEMENT_BOUNDARY = new Set([';', 'begin', 'then', 'else', 'do', 'declare']);

export function splitStatements(sql: string, base = 0): StatementSplit {
  const tokens = tokenizeSql(sql);
  const out: SqlStatement[] = [];
  const blocks: { start: number; end: number }[] = [];
  const lw = (k: number) => (tokens[k]?.type === 'ident' ? tokens[k]!.text.toLowerCase() : (tokens[k]?.text ?? ''));
  const endOf = (k: number) => tokens[k - 1]!.end;

  /** Index just past the END matching the opener at k (an IF/FOR/…/BEGIN/CASE), or tokens.length. */
  const matchEnd = (k: number): number => {
    let depth = 0;
    for (let j = k; j < tokens.length; j++) {
      const w = lw(j);
      const prev = j === k ? ';' : lw(j - 1);
      if (w === 'begin' || w === 'case' || (CONTROL.has(w) && STATEMENT_BOUNDARY.has(prev))) depth++;
      else if (w === 'end') {
        depth--;
        // END IF / END FOR / END LOOP …: the keyword belongs to this END.
        if (CONTROL.has(lw(j + 1))) j++;
        if (depth === 0) return j + 1;
      }
    }
    return tokens.length;
  };

  /** Index of the ';' ending the simple statement at k (or of a block END when the ';' is missing). */
  const simpleEnd = (k: number, inBlock: boolean): number => {
    let cases = 0;
    for (let j = k; j < tokens.length; j++) {
      const w = lw(j);
      if (w === ';') return j;
      if (w === 'case') cases++;
      else if (w === 'end') {
        if (cases > 0) cases--;
        else if (inBlock) return j;
      }
    }
    return tokens.length;
  };

  const classify = (k: number, stop: number, script: boolean): SqlStatement => {
    const w = lw(k);
    const start = tokens[k]!.start + base;
    const end = endOf(stop) + base;
    let kind: StatementKind = 'sql';
    if (w === 'return') kind = 'return';
    else if (w === 'let' || (w === 'execute' && lw(k + 1) === 'immediate') || (tokens[k]!.type === 'ident' && lw(k + 1) === ':' && lw(k + 2) === '='))
      kind = 'scripting';
    else if (script && /^(open|close|fetch|break|continue|raise|null|leave|iterate|cancel)$/.test(w)) kind = 'scripting';
    const s: SqlStatement = { kind, start, end, script, keyword: w };
    if (kind === 'scripting') {
      const dollar = tokens.slice(k, stop).find(t => t.type === 'string' && t.text.startsWith('$$') && t.text.endsWith('$$') && t.text.length >= 4);
      if (dollar) s.inner = splitStatements(sql.slice(dollar.start + 2, dollar.end - 2), base + dollar.start + 2).statements;
    }
    return s;
  };

  /** Statements of a block body from k up to its END; returns the index after END. */
  const body = (k: number, depth: number): number => {
    while (k < tokens.length) {
      const w = lw(k);
      if (w === ';') {
        k++;
        continue;
      }
      if (w === 'end') return k + 1;
      if (w === 'begin' || w === 'declare') {
        if (depth >= MAX_BLOCK_DEPTH) {
          const stop = matchEnd(k);
          out.push({ kind: 'control', start: tokens[k]!.start + base, end: endOf(Math.max(stop, k + 1)) + base, script: true, keyword: w });
          k = stop;
          continue;
        }
        k = block(k, true, depth + 1);
        continue;
      }
      if (CONTROL.has(w) || w === 'exception') {
        // EXCEPTION runs to the END of the enclosing block.
        const stop = w === 'exception' ? simpleEndOfHandlers(k) : matchEnd(k);
        out.push({ kind: 'control', start: tokens[k]!.start + base, end: endOf(stop) + base, script: true, keyword: w });
        k = stop;
        continue;
      }
      const stop = simpleEnd(k, true);
      if (stop > k) out.push(classify(k, stop, true));
      k = stop;
    }
    return k;
  };

  /** EXCEPTION handlers end at the END of the enclosing block (nested blocks counted). */
  const simpleEndOfHandlers = (k: number): number => {
    let depth = 0;
    for (let j = k + 1; j < tokens.length; j++) {
      const w = lw(j);
      if (w === 'begin' || w === 'case' || (CONTROL.has(w) && STATEMENT_BOUNDARY.has(lw(j - 1)))) depth++;
      else if (w === 'end') {
        if (depth === 0) return j;
        depth--;
        if (CONTROL.has(lw(j + 1))) j++;
      }
    }
    return tokens.length;
  };

  /** A DECLARE section and/or BEGIN … END block at k; returns the index after it. */
  const block = (k: number, nested: boolean, depth = 0): number => {
    const first = k;
    if (lw(k) === 'declare') {
      k++;
      while (k < tokens.length && lw(k) !== 'begin') {
        if (lw(k) === ';') {
          k++;
          continue;
        }
        let j = k;
        while (j < tokens.length && lw(j) !== ';' && lw(j) !== 'begin') j++;
        out.push({ kind: 'declare', start: tokens[k]!.start + base, end: endOf(j) + base, script: true, keyword: lw(k) });
        k = j;
      }
    }
    if (lw(k) === 'begin') k = body(k + 1, depth);
    if (!nested && tokens[first]) blocks.push({ start: tokens[first]!.start + base, end: endOf(Math.max(k, first + 1)) + base });
    return k;
  };

  let k = 0;
  while (k < tokens.length) {
    const w = lw(k);
    if (w === ';') {
      k++;
      continue;
    }
    const next = lw(k + 1);
    if (w === 'declare' || (w === 'begin' && next !== ';' && next !== '' && !/^(transaction|work|name)$/.test(next))) {
      k = block(k, false);
      continue;
    }
    const stop = simpleEnd(k, false);
    out.push(classify(k, stop, false));
    k = stop;
  }
  return { statements: out, blocks, tokens };
}

/** Every statement, with the statements inside `$$…$$` strings after the one holding them. */
export function flattenStatements(statements: SqlStatement[]): SqlStatement[] {
  const out: SqlStatement[] = [];
  for (const s of statements) {
    out.push(s);
    if (s.inner) out.push(...flattenStatements(s.inner));
  }
  return out;
}
