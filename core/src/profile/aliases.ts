/**
 * Table aliases of rendered SQL: `FROM IDENTIFIER('DB.S.T') AS p1`, `JOIN db.s.t p2`,
 * `(SELECT … FROM IDENTIFIER('X') p2) p2`, CTEs (`WITH u AS (…) … FROM u`), each with the
 * parenthesised scope that defines it, so an alias reused in a nested query resolves to the
 * table of the innermost scope around the place the value landed. Token level on purpose:
 * it must work on every render, including SQL a parser would refuse.
 */
import type { Span } from '../text/span.js';
import { tokenizeSql, type SqlToken } from '../sql/places.js';

export interface AliasDef {
  /** Lower case: unquoted aliases are case-insensitive. */
  alias: string;
  /** The table the alias stands for, as written (IDENTIFIER string unquoted); null when it covers several tables or none. */
  table: string | null;
  /** The scope (parentheses or statement) whose FROM defines the alias. */
  scope: Span;
  /** Where the alias is written in the SQL. */
  span: Span;
}

const NOT_ALIAS = new Set(
  'on using join inner left right full outer cross natural where group order limit having qualify window union except minus intersect lateral sample tablesample at before changes match_recognize pivot unpivot select from as with connect start offset fetch'.split(
    ' ',
  ),
);

export class SqlAliases {
  readonly defs: AliasDef[] = [];
  private readonly tokens: SqlToken[];
  private readonly close = new Map<number, number>();
  private readonly ctes = new Map<string, string | null>();

  constructor(readonly sql: string) {
    this.tokens = tokenizeSql(sql);
    const stack: number[] = [];
    this.tokens.forEach((t, i) => {
      if (t.text === '(') stack.push(i);
      else if (t.text === ')' && stack.length) this.close.set(stack.pop()!, i);
    });
    this.collectCtes();
    this.collectFromItems();
  }

  /** Tables referenced anywhere in the SQL (what IDENTIFIER() and FROM name). */
  tables(): string[] {
    return [...new Set(this.defs.map(d => d.table).filter((t): t is string => t !== null))];
  }

  /**
   * The table `alias` means at output offset `at`: the innermost defining scope around
   * `at`; without a place, the table every definition agrees on. Undefined when the SQL
   * does not define the alias; null when it is defined but not as one table.
   */
  resolve(alias: string, at: number | null): string | null | undefined {
    const candidates = this.defs.filter(d => d.alias === alias.toLowerCase());
    if (!candidates.length) return undefined;
    if (at !== null) {
      const around = candidates
        .filter(d => d.scope.start <= at && at < d.scope.end)
        .sort((a, b) => a.scope.end - a.scope.start - (b.scope.end - b.scope.start));
      if (around.length) return around[0]!.table;
    }
    const tables = new Set(candidates.map(d => d.table));
    return tables.size === 1 ? [...tables][0]! : null;
  }

  private scopeOf(k: number): Span {
    // Innermost unclosed '(' before token k, else the statement.
    let depth = 0;
    for (let j = k - 1; j >= 0; j--) {
      const t = this.tokens[j]!;
      if (t.text === ')') depth++;
      else if (t.text === '(') {
        if (depth === 0) {
          const c = this.close.get(j);
          return { start: t.start, end: c !== undefined ? this.tokens[c]!.end : this.sql.length };
        }
        depth--;
      } else if (t.text === ';' && depth === 0) return { start: t.end, end: this.statementEnd(k) };
    }
    return { start: 0, end: this.statementEnd(k) };
  }

  private statementEnd(k: number): number {
    let depth = 0;
    for (let j = k; j < this.tokens.length; j++) {
      const t = this.tokens[j]!;
      if (t.text === '(') depth++;
      else if (t.text === ')') depth--;
      else if (t.text === ';' && depth <= 0) return t.start;
    }
    return this.sql.length;
  }

  private collectCtes(): void {
    const t = this.tokens;
    for (let k = 1; k + 2 < t.length; k++) {
      const prev = t[k - 1]!.text.toLowerCase();
      if (
        (prev === 'with' || prev === 'recursive' || prev === ',') &&
        (t[k]!.type === 'ident' || t[k]!.type === 'quoted') &&
        /^as$/i.test(t[k + 1]!.text) &&
        t[k + 2]!.text === '('
      ) {
        const close = this.close.get(k + 2);
        if (close === undefined) continue;
        const name = unquote(t[k]!.text).toLowerCase();
        this.ctes.set(name, null);
        // Filled in after FROM items are known: the single table the CTE body reads.
        this.pendingCtes.push({ name, open: k + 2, close, span: { start: t[k]!.start, end: t[k]!.end } });
      }
    }
  }
  private readonly pendingCtes: { name: string; open: number; close: number; span: Span }[] = [];

  private collectFromItems(): void {
    const t = this.tokens;
    for (let k = 0; k < t.length; k++) {
      if (t[k]!.type !== 'ident' || !/^(from|join)$/i.test(t[k]!.text)) continue;
      // A function argument (`EXTRACT(YEAR FROM d)`) is not a FROM clause.
      if (/^from$/i.test(t[k]!.text) && this.insideCall(k)) continue;
      const scope = this.scopeOf(k);
      let i = k + 1;
      for (;;) {
        const next = this.fromItem(i, scope);
        if (next < 0) break;
        i = next;
        if (t[i]?.text === ',') i++;
        else break;
      }
    }
    // Subqueries and CTEs stand for the single table they read; nested ones feed outer
    // ones, so a few passes settle every level that matters in practice.
    type Ext = AliasDef & { cte?: string; sub?: Span };
    const defs = this.defs as Ext[];
    const single = (inner: Ext[]): string | null => {
      const tables = new Set(inner.map(x => x.table));
      return tables.size === 1 ? [...tables][0]! : null;
    };
    for (let pass = 0; pass < 4; pass++) {
      for (const c of this.pendingCtes) {
        const body = { start: t[c.open]!.start, end: t[c.close]!.end };
        this.ctes.set(c.name, single(defs.filter(d => d.scope.start >= body.start && d.scope.end <= body.end)));
      }
      for (const d of defs) {
        if (d.cte !== undefined) d.table = this.ctes.get(d.cte) ?? null;
        else if (d.sub) {
          const sub = d.sub;
          d.table = single(defs.filter(x => x !== d && x.scope.start >= sub.start && x.scope.end <= sub.end));
        }
      }
    }
  }

  private insideCall(k: number): boolean {
    let depth = 0;
    for (let j = k - 1; j >= 0; j--) {
      const x = this.tokens[j]!;
      if (x.text === ')') depth++;
      else if (x.text === '(') {
        if (depth === 0) {
          const fn = this.tokens[j - 1];
          return (
            !!fn && fn.type === 'ident' && !/^(in|as|exists|from|join|union|all|select|on|and|or|not|where|with)$/i.test(fn.text) && !this.isSelectAhead(j)
          );
        }
        depth--;
      } else if (depth === 0 && x.type === 'ident' && /^select$/i.test(x.text)) return false;
    }
    return false;
  }

  private isSelectAhead(open: number): boolean {
    return /^(select|with)$/i.test(this.tokens[open + 1]?.text ?? '');
  }

  /** Reads one FROM item at token i; returns the token after it (and its alias), or -1. */
  private fromItem(i: number, scope: Span): number {
    const t = this.tokens;
    const tok = t[i];
    if (!tok) return -1;
    let table: string | null = null;
    let cte: string | undefined;
    let sub: Span | undefined;
    let j: number;
    if (/^identifier$/i.test(tok.text) && t[i + 1]?.text === '(') {
      const close = this.close.get(i + 1);
      if (close === undefined) return -1;
      const arg = t[i + 2];
      table = arg && close === i + 3 && (arg.type === 'string' || arg.type === 'ident' || arg.type === 'quoted') ? unquoteString(arg.text) : null;
      j = close + 1;
    } else if (tok.text === '(') {
      const close = this.close.get(i);
      if (close === undefined) return -1;
      sub = { start: tok.start, end: t[close]!.end };
      j = close + 1;
    } else if ((tok.type === 'ident' || tok.type === 'quoted') && !NOT_ALIAS.has(tok.text.toLowerCase())) {
      j = i + 1;
      const parts = [tok.text];
      while (t[j]?.text === '.' && (t[j + 1]?.type === 'ident' || t[j + 1]?.type === 'quoted')) {
        parts.push(t[j + 1]!.text);
        j += 2;
      }
      // TABLE(f(...)) and other table functions are not tables.
      if (t[j]?.text === '(') return -1;
      const name = parts.join('.');
      if (parts.length === 1 && this.ctes.has(unquote(name).toLowerCase())) cte = unquote(name).toLowerCase();
      else table = name;
      // The name itself works as an alias (FROM union_data … union_data.col).
      const self = parts[parts.length - 1]!;
      this.push({ alias: unquote(self).toLowerCase(), table, scope, span: { start: t[j - 1]!.start, end: t[j - 1]!.end } }, cte, undefined);
    } else return -1;
    let a = j;
    if (/^as$/i.test(t[a]?.text ?? '')) a++;
    const al = t[a];
    if (al && (al.type === 'ident' || al.type === 'quoted') && !NOT_ALIAS.has(al.text.toLowerCase())) {
      this.push({ alias: unquote(al.text).toLowerCase(), table, scope, span: { start: al.start, end: al.end } }, cte, sub);
      return a + 1;
    }
    return j;
  }

  private push(d: AliasDef, cte: string | undefined, sub: Span | undefined): void {
    const x = d as AliasDef & { cte?: string; sub?: Span };
    if (cte !== undefined) x.cte = cte;
    if (sub) x.sub = sub;
    this.defs.push(x);
  }
}

function unquote(s: string): string {
  return s.length >= 2 && s.startsWith('"') && s.endsWith('"') ? s.slice(1, -1) : s;
}

function unquoteString(s: string): string {
  if (s.startsWith("'") && s.endsWith("'") && s.length >= 2) return s.slice(1, -1).replace(/''/g, "'");
  return s;
}
