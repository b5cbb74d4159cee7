/**
 * node-sql-parser (its Snowflake build only) behind one function. The parser is lenient in
 * some places (it accepts `FROM 'db.s.t'`) and strict in others (it rejects valid Snowflake
 * such as `WITHIN GROUP` or `SAMPLE`), so a failure here only ever means "could not verify";
 * the certain errors are found on tokens (sqlChecks.ts).
 */
// The only import form allowed: the esbuild alias keeps the other dialects out of the bundle.
import { Parser } from 'node-sql-parser/build/snowflake';
import { tokenizeSql } from './places.js';

export interface ParseOk {
  ok: true;
  /** The parser's AST (one statement). Locations are offsets of the text given to parseSql. */
  ast: SqlAst;
}

export interface ParseFailed {
  ok: false;
  /** Short reason, e.g. `unexpected "WITHIN"`. */
  reason: string;
  /** Offset of the failure in the text given to parseSql. */
  offset: number;
}

/** The parts of node-sql-parser's AST that the rules read; everything else stays opaque. */
export interface SqlAst {
  type?: string;
  keyword?: string;
  table?: { db?: string | null; table?: string }[] | null;
  query_expr?: SqlAst | null;
  columns?: SelectColumn[] | string | null;
  [k: string]: unknown;
}

export interface SelectColumn {
  expr: { type: string; [k: string]: unknown };
  as: string | { value?: string } | null;
  loc?: { start: { offset: number }; end: { offset: number } };
}

let parser: Parser | null = null;

/** Statements longer than this are not parsed: the PEG parser's time grows with them. */
export const MAX_PARSE_CHARS = 200_000;

export interface ParseSqlOptions {
  /** Offsets (in `sql`) of string literals that are bound values: the query sends `?` there. */
  bound?: (offset: number) => boolean;
}

export function parseSql(sql: string, options: ParseSqlOptions = {}): ParseOk | ParseFailed {
  if (sql.length > MAX_PARSE_CHARS) return { ok: false, reason: `the statement is too long to check (${sql.length} characters)`, offset: 0 };
  parser ??= new Parser();
  try {
    const raw = parser.astify(normalizeForParser(sql, options.bound), { parseOptions: { includeLocations: true } } as never) as unknown;
    const list = Array.isArray(raw) ? raw : [raw];
    const ast = list.find(x => x && typeof x === 'object') as SqlAst | undefined;
    if (!ast) return { ok: false, reason: 'empty statement', offset: 0 };
    return { ok: true, ast };
  } catch (e) {
    const err = e as { message?: string; location?: { start?: { offset?: number } }; found?: string | null };
    const offset = err.location?.start?.offset ?? 0;
    const tok = tokenizeSql(sql.slice(offset)).at(0);
    const reason = tok ? `unexpected ${JSON.stringify(tok.text.length > 30 ? tok.text.slice(0, 27) + '...' : tok.text)}` : 'unexpected end of statement';
    return { ok: false, reason, offset };
  }
}

/**
 * Same-length rewrites for constructs the parser does not know but that do not change the
 * statement's shape, so that offsets in the AST stay offsets of the original text:
 * `IDENTIFIER(:var)` (a session or script variable naming an object) becomes a plain name.
 */
export function normalizeForParser(sql: string, bound?: (offset: number) => boolean): string {
  let out = sql;
  const toks = tokenizeSql(sql);
  for (let k = 0; k < toks.length; k++) {
    const t = toks[k]!;
    // `LIMIT {{ n }}` is `LIMIT ?` in the query Snowflake gets; the inlined sample value is a
    // string, which the parser refuses there. A number of the same length stands in for it.
    if (bound && t.type === 'string' && /^(limit|offset|top)$/i.test(toks[k - 1]?.text ?? '') && bound(t.start)) {
      out = out.slice(0, t.start) + '1'.repeat(t.end - t.start) + out.slice(t.end);
      continue;
    }
    if (k + 4 >= toks.length) continue;
    if (t.type === 'ident' && /^identifier$/i.test(t.text) && toks[k + 1]!.text === '(' && toks[k + 2]!.text === ':' && toks[k + 3]!.type === 'ident' && toks[k + 4]!.text === ')') {
      const len = toks[k + 4]!.end - t.start;
      out = out.slice(0, t.start) + 'v' + '_'.repeat(len - 1) + out.slice(t.start + len);
    }
  }
  return out;
}
