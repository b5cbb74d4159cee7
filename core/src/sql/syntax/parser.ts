/**
 * A tolerant recursive-descent parser for the Snowflake statements clean room templates
 * render: queries (WITH, SELECT, set operations, every FROM form of the query syntax page),
 * CREATE TABLE/VIEW … AS query, INSERT, CALL, scripting RETURN, and the DROP / DELETE /
 * UPDATE / SET statements of activation scripts.
 *
 * Generous where Snowflake is: any function name, any non-reserved word as a name, expressions
 * parsed in general, and the insides of constructs it does not need to judge (window frames,
 * MATCH_RECOGNIZE, AT/BEFORE/CHANGES, column definitions) skipped as balanced text. Strict
 * where Snowflake's grammar is: list separators, operands of operators, clause order, CASE …
 * END, ON and MATCH_CONDITION, names after FROM/JOIN/AS. A construct outside its grammar ends
 * the statement as "unsupported" (could not verify), never as a syntax error.
 */
import { syntaxTokens, type BindAt, type Tok } from './tokens.js';
import {
  RESERVED,
  FROM_ONLY,
  RESERVED_FUNCTIONS,
  NILADIC,
  NOT_SELECT_ALIAS,
  NOT_TABLE_ALIAS,
  SET_OPS,
  CLAUSE_AFTER_SELECT,
  TYPED_LITERAL,
  ARG_KEYWORDS,
  SKIPPED_ARGS,
  DROP_KINDS,
  ODD_CHARS,
  CLAUSE_RANK,
} from './keywords.js';

export interface SyntaxError {
  /** Rendered offsets of the token to report. */
  start: number;
  end: number;
  message: string;
  /** The token where the parser noticed the error, and the one before it (they decide its certainty). */
  noticed: Tok;
  before: Tok | null;
  /** The whole `noticed` token decides the error (an unclosed string), not only its start. */
  whole?: boolean;
}

/** A select-list item of the query of CREATE TABLE … AS: what the activation rules read. */
export interface SelectItem {
  start: number;
  end: number;
  alias: boolean;
  /** A plain column, `*`, `t.*` or IDENTIFIER('name'): the column names itself. */
  named: boolean;
}

export interface SyntaxResult {
  /** The statement's first keyword, lower case. */
  keyword: string;
  errors: SyntaxError[];
  /** Set when part of the statement is outside the grammar: nothing after `offset` was judged. */
  unsupported: { offset: number; reason: string } | null;
  /** For CREATE TABLE … AS SELECT: the items of the top-level SELECT. */
  createItems?: SelectItem[];
}

const MAX_ERRORS = 5;
const MAX_DEPTH = 150;

class Failure {
  constructor(
    readonly report: Tok,
    readonly noticed: Tok,
    readonly message: string,
  ) {}
}

class Unsupported {
  constructor(
    readonly at: Tok,
    readonly reason: string,
  ) {}
}

interface Expr {
  /** A plain column reference, `*`, `t.*` or IDENTIFIER('…'). */
  named: boolean;
}

const show = (t: Tok): string =>
  t.kind === 'eof' ? 'the end of the statement' : t.kind === 'bind' ? 'a bound value' : `\`${t.text.length > 30 ? t.text.slice(0, 27) + '…' : t.text}\``;
const kw = (w: string): string => (w.length === 1 ? `\`${w}\`` : `\`${w.toUpperCase()}\``);
const alternatives = (ws: string[]): string => (ws.length === 1 ? kw(ws[0]!) : `${ws.slice(0, -1).map(kw).join(', ')} or ${kw(ws[ws.length - 1]!)}`);

export function parseStatementSyntax(sql: string, bindAt?: BindAt): SyntaxResult {
  return new Parser(syntaxTokens(sql, bindAt)).statement();
}

class Parser {
  private i = 0;
  private depth = 0;
  readonly errors: SyntaxError[] = [];
  /** Index of the matching ')' / ']' / '}' for each opener, -1 when unmatched. */
  private readonly match: Int32Array;
  private createItems: SelectItem[] | undefined;
  /** Index of the last name read as an alias without AS: with a '.' or '(' after it, it was the next item. */
  private implicitAlias = -1;
  private readonly balanced: boolean;

  constructor(private readonly toks: Tok[]) {
    this.match = new Int32Array(toks.length).fill(-1);
    const stack: number[] = [];
    let extra = false;
    toks.forEach((t, k) => {
      if (t.kind !== 'punct' && t.kind !== 'op') return;
      if (t.text === '(' || t.text === '[' || t.text === '{') stack.push(k);
      else if (t.text === ')' || t.text === ']' || t.text === '}') {
        const o = stack.pop();
        if (o !== undefined) this.match[o] = k;
        else extra = true;
      }
    });
    this.balanced = !extra && !stack.length;
  }

  // ---------------------------------------------------------------- token helpers

  private get t(): Tok {
    return this.toks[this.i]!;
  }
  private peek(n = 1): Tok {
    return this.toks[Math.min(this.i + n, this.toks.length - 1)]!;
  }
  private prev(): Tok | null {
    return this.i > 0 ? this.toks[this.i - 1]! : null;
  }
  private is(w: string, t = this.t): boolean {
    return t.kind === 'ident' ? t.lw === w : (t.kind === 'punct' || t.kind === 'op') && t.text === w;
  }
  private isAny(ws: readonly string[] | Set<string>, t = this.t): boolean {
    const key = t.kind === 'ident' ? t.lw : t.kind === 'punct' || t.kind === 'op' ? t.text : null;
    return key !== null && (ws instanceof Set ? ws.has(key) : ws.includes(key));
  }
  private eat(w: string): boolean {
    if (!this.is(w)) return false;
    this.i++;
    return true;
  }
  private atEnd(): boolean {
    return this.t.kind === 'eof';
  }
  /** A syntax error noticed at the current token; at the end of the statement it is reported on the last token. */
  private fail(message: string, report: Tok = this.t): never {
    throw new Failure(report.kind === 'eof' ? (this.prev() ?? report) : report, this.t, message);
  }
  private unsupported(reason: string): never {
    throw new Unsupported(this.t, reason);
  }
  /** "expected X after Y" at the current token. */
  private expected(what: string): never {
    const p = this.prev();
    this.fail(`expected ${what}${p ? ` after ${show(p)}` : ''}, found ${show(this.t)}`);
  }
  private expect(w: string): void {
    if (!this.eat(w)) this.expected(kw(w));
  }
  /** Skips a balanced ( … ) group starting at the current '('. */
  private skipGroup(): void {
    const close = this.match[this.i]!;
    if (close < 0) this.fail(`this ${show(this.t)} is never closed`);
    this.i = close + 1;
  }
  private enter(): void {
    if (++this.depth > MAX_DEPTH) this.unsupported('statements nested this deeply');
  }

  /** Runs `f`; on a syntax error records it and skips to a token where `stop` holds (at the same nesting). */
  private guard(f: () => void, stop: (t: Tok) => boolean): void {
    const depth = this.depth;
    try {
      f();
    } catch (e) {
      if (!(e instanceof Failure)) throw e;
      this.depth = depth;
      this.record(e);
      this.recover(stop);
    }
  }
  private record(e: Failure): void {
    if (this.errors.length >= MAX_ERRORS) throw new Unsupported(e.noticed, `more than ${MAX_ERRORS} syntax errors in one statement`);
    const k = this.toks.indexOf(e.noticed);
    this.errors.push({ start: e.report.start, end: e.report.end, message: e.message, noticed: e.noticed, before: k > 0 ? this.toks[k - 1]! : null });
  }
  /** Skips to a token where `stop` holds, never past the end of the current parentheses or a new SELECT. */
  private recover(stop: (t: Tok) => boolean): void {
    while (this.t.kind !== 'eof' && !this.is(';')) {
      if (stop(this.t) || this.is('select')) return;
      if (this.is('(') || this.is('[') || this.is('{')) {
        const close = this.match[this.i]!;
        if (close < 0) return;
        this.i = close + 1;
        continue;
      }
      if (this.is(')')) return;
      this.i++;
    }
  }

  // ---------------------------------------------------------------- statements

  statement(): SyntaxResult {
    const first = this.t;
    const keyword = first.kind === 'ident' ? first.lw : first.text;
    let unsupported: SyntaxResult['unsupported'] = null;
    const open = this.toks.find(t => t.unclosed);
    if (open) {
      const k = this.toks.indexOf(open);
      const what = open.kind === 'quoted' ? 'quoted name' : 'string';
      this.errors.push({
        start: open.start,
        end: open.start + (open.text.startsWith('$$') ? 2 : 1),
        message: `this ${what} is never closed: it runs to the end of the statement`,
        noticed: open,
        before: k > 0 ? this.toks[k - 1]! : null,
        whole: true,
      });
      return { keyword, errors: this.errors, unsupported: null };
    }
    try {
      // Unbalanced parentheses are reported on tokens (sqlChecks.ts): a parse would only add noise.
      if (!this.balanced) this.unsupported('unbalanced brackets');
      // Characters Snowflake's query syntax has no use for outside strings and quoted names
      // (non-ASCII letters, `#`, `~` …): whatever they are, this parser does not judge them.
      const odd = this.toks.find(t => t.kind === 'op' && (t.text.charCodeAt(0) > 127 || ODD_CHARS.has(t.text)));
      if (odd) throw new Unsupported(odd, `the character ${show(odd)} outside a string`);
      this.guard(
        () => this.statementBody(),
        () => false,
      );
      if (!this.errors.length && this.t.kind !== 'eof') {
        this.eat(';');
        if (!this.atEnd())
          this.guard(
            () => this.fail(`expected the end of the statement after ${show(this.prev()!)}, found ${show(this.t)}`),
            () => false,
          );
      }
    } catch (e) {
      if (!(e instanceof Unsupported)) throw e;
      unsupported = { offset: e.at.start, reason: e.reason };
    }
    const out: SyntaxResult = { keyword, errors: this.errors, unsupported };
    if (this.createItems) out.createItems = this.createItems;
    return out;
  }

  private statementBody(): void {
    const w = this.t.lw;
    if (w === 'select' || w === 'with' || this.is('(')) return this.query();
    if (w === 'create') return this.create();
    if (w === 'insert') return this.insert();
    if (w === 'return') {
      this.i++;
      if (this.t.kind === 'eof' || this.is(';')) return;
      return void this.expr();
    }
    if (w === 'call') {
      this.i++;
      this.qualifiedName();
      if (!this.is('(')) this.expected('`(`');
      return this.args();
    }
    if (w === 'values') return this.values();
    if (w === 'drop' || w === 'truncate') return this.drop();
    if (w === 'delete') return this.delete();
    if (w === 'update') return this.update();
    if (w === 'set' || w === 'unset') return this.setVariable();
    if (w === 'commit' || w === 'rollback' || w === 'begin' || (w === 'start' && this.is('transaction', this.peek()))) {
      this.i++;
      if (!this.eat('transaction')) this.eat('work');
      if (this.eat('name')) this.name();
      return;
    }
    if (this.t.kind !== 'ident') this.fail(`expected a statement, found ${show(this.t)}`);
    this.unsupported(`${this.t.text.toUpperCase()} statements`);
  }

  /** DROP <kind> [IF EXISTS] name [(signature)] [CASCADE|RESTRICT]; TRUNCATE [TABLE] [IF EXISTS] name. */
  private drop(): void {
    this.i++;
    while (this.isAny(DROP_KINDS)) this.i++;
    if (this.eat('if')) this.expect('exists');
    this.objectName();
    if (this.is('(')) this.skipGroup();
    if (!this.eat('cascade')) this.eat('restrict');
  }

  /** DELETE FROM t [[AS] alias] [USING …] [WHERE …]. */
  private delete(): void {
    this.expect('delete');
    this.expect('from');
    this.objectName();
    this.alias(NOT_TABLE_ALIAS);
    if (this.eat('using')) {
      do this.tableExpr();
      while (this.eat(','));
    }
    if (this.eat('where')) this.condition('where');
  }

  /** UPDATE t [[AS] alias] SET col = expr, … [FROM …] [WHERE …]. */
  private update(): void {
    this.expect('update');
    this.objectName();
    this.alias(new Set([...NOT_TABLE_ALIAS, 'set']));
    this.expect('set');
    do {
      this.qualifiedName();
      this.expect('=');
      this.expr();
    } while (this.eat(','));
    if (this.eat('from')) {
      do this.tableExpr();
      while (this.eat(','));
    }
    if (this.eat('where')) this.condition('where');
  }

  /** SET v = expr, SET (a, b) = (…); UNSET v / (a, b). */
  private setVariable(): void {
    const unset = this.t.lw === 'unset';
    this.i++;
    if (this.is('(')) this.nameList();
    else this.name();
    if (unset) return;
    this.expect('=');
    this.expr();
  }

  private create(): void {
    this.expect('create');
    if (this.eat('or')) this.expect('replace');
    while (this.isAny(['local', 'global', 'temp', 'temporary', 'volatile', 'transient', 'secure', 'recursive', 'materialized'])) this.i++;
    const object = this.t.lw;
    if (object !== 'table' && object !== 'view') this.unsupported(`CREATE ${this.t.text.toUpperCase()}`);
    this.i++;
    if (this.eat('if')) {
      this.expect('not');
      this.expect('exists');
    }
    this.objectName();
    // Column definitions, CLUSTER BY, COPY GRANTS, COMMENT = …: skipped up to AS <query>.
    for (;;) {
      if (this.t.kind === 'eof' || this.is(';')) {
        if (object === 'view') this.expected('`AS` and a query');
        this.unsupported('CREATE TABLE without AS <query>');
      }
      if (this.is('as') && (this.is('select', this.peek()) || this.is('with', this.peek()) || this.is('(', this.peek()))) break;
      if (this.is('(')) this.skipGroup();
      else this.i++;
    }
    this.expect('as');
    const items: SelectItem[] = [];
    this.query(items);
    this.createItems = items;
  }

  private insert(): void {
    this.expect('insert');
    this.eat('overwrite');
    if (this.isAny(['all', 'first'])) this.unsupported('multi-table INSERT');
    this.expect('into');
    this.objectName();
    if (this.is('(') && !this.is('select', this.peek()) && !this.is('with', this.peek())) this.nameList();
    if (this.is('values')) return this.values();
    this.query();
  }

  private values(): void {
    this.expect('values');
    do {
      if (!this.is('(')) this.expected('`(`');
      this.exprList();
    } while (this.eat(','));
  }

  // ---------------------------------------------------------------- queries

  /** WITH …? set expression, ORDER BY, LIMIT. `items` collects the first SELECT's items. */
  private query(items?: SelectItem[]): void {
    this.enter();
    if (this.eat('with')) {
      this.eat('recursive');
      do this.cte();
      while (this.eat(','));
    }
    this.queryTerm(items);
    while (this.isAny(SET_OPS)) {
      this.i++;
      if (!this.eat('all')) this.eat('distinct');
      if (this.eat('by')) this.expect('name');
      this.queryTerm();
    }
    this.orderLimit();
    this.depth--;
  }

  private cte(): void {
    const name = this.t;
    if (!this.isName(name)) this.expected('a name for the common table expression');
    this.i++;
    if (this.is('(') && (this.is('select', this.peek()) || this.is('with', this.peek()))) this.fail(`expected \`AS\` before ${show(this.t)}`);
    if (this.is('(')) this.nameList();
    if (!this.eat('as')) this.expected('`AS`');
    if (this.is('procedure')) this.unsupported('anonymous procedures (WITH … AS PROCEDURE)');
    if (!this.is('(')) this.expected('`(` and the query of the common table expression');
    this.parenQuery();
  }

  private queryTerm(items?: SelectItem[]): void {
    if (this.is('(')) return this.parenQuery();
    if (this.is('select')) return this.select(items);
    if (this.is('values')) return this.values();
    if (this.is('with')) return this.query();
    this.expected('`SELECT`');
  }

  /** `( query )` at the current '('. */
  private parenQuery(): void {
    const open = this.t;
    this.i++;
    this.query();
    if (!this.eat(')')) {
      const p = this.prev()!;
      this.fail(`expected \`)\` to close the ${show(open)} after ${show(p)}, found ${show(this.t)}`);
    }
  }

  private select(items?: SelectItem[]): void {
    this.expect('select');
    if (this.eat('top')) this.limitValue('TOP');
    if (!this.eat('distinct')) this.eat('all');
    this.selectList(items);
    if (this.is('into')) this.unsupported('SELECT … INTO');
    if (this.eat('from'))
      this.guard(
        () => this.fromList(),
        t => this.isAny(['where', 'group', 'having', 'qualify', 'order', 'limit', ...SET_OPS], t),
      );
    // WHERE and START WITH/CONNECT BY come before GROUP BY, which comes before HAVING and
    // QUALIFY; within a rank the order is free. Each clause at most once.
    const seen = new Map<string, number>();
    for (;;) {
      const w = this.t.lw === 'start' ? 'connect' : this.t.lw;
      const rank = CLAUSE_RANK[w];
      if (rank === undefined || this.t.kind !== 'ident') break;
      const later = [...seen].find(([, r]) => r > rank)?.[0];
      if (later || seen.has(w))
        this.fail(
          `${kw(this.t.lw)} cannot come after ${kw(later ?? w)}: the clauses of a SELECT go in the order WHERE, GROUP BY, HAVING, QUALIFY, ORDER BY, LIMIT`,
        );
      seen.set(w, rank);
      const stop = (t: Tok) => this.isAny(['where', 'group', 'having', 'qualify', 'order', 'limit', 'connect', ...SET_OPS], t);
      if (w === 'where' || w === 'having' || w === 'qualify') this.guard(() => (this.i++, this.condition(w)), stop);
      else if (w === 'group') this.guard(() => this.groupBy(), stop);
      else this.guard(() => this.connectBy(), stop);
    }
  }

  private condition(clause: string): void {
    if (this.t.kind === 'eof' || this.is(';') || this.is(')') || this.isClauseWord())
      this.fail(`expected a condition after ${kw(clause)}, found ${show(this.t)}`);
    this.expr();
  }

  private isClauseWord(): boolean {
    return this.isAny(['from', 'where', 'group', 'having', 'qualify', 'order', 'limit', 'union', 'except', 'minus', 'intersect']);
  }

  private connectBy(): void {
    // START WITH … CONNECT BY [PRIOR] …, in either order.
    for (let n = 0; n < 2 && this.isAny(['start', 'connect']); n++) {
      if (this.eat('start')) {
        this.expect('with');
        this.expr();
      } else {
        this.expect('connect');
        this.expect('by');
        this.eat('nocycle');
        this.expr();
      }
    }
  }

  private selectList(items?: SelectItem[]): void {
    const stopItem = (t: Tok) => this.is(',', t) || this.isAny(CLAUSE_AFTER_SELECT, t);
    for (;;) {
      if (this.isSelectEnd()) {
        const p = this.prev()!;
        if (this.is(',', p)) return; // Snowflake accepts a trailing comma in the SELECT list.
        this.fail(`expected a column or expression after ${show(p)}, found ${show(this.t)}`);
      }
      this.guard(() => {
        const start = this.t;
        const e = this.selectItem();
        const end = this.prev()!;
        items?.push({ start: start.start, end: end.end, alias: e.alias, named: e.named });
        if (!this.is(',') && !this.isSelectEnd()) this.missingSeparator(CLAUSE_AFTER_SELECT.slice(0, 1));
      }, stopItem);
      if (!this.eat(',')) return;
    }
  }

  private isSelectEnd(): boolean {
    return this.t.kind === 'eof' || this.is(';') || this.is(')') || this.isAny(CLAUSE_AFTER_SELECT);
  }

  /** After an item: "expected `,` or FROM after `cnt`, found `COUNT`". */
  private missingSeparator(ends: string[]): never {
    const expected = alternatives([',', ...ends]);
    // `p.a p.b`: `p` was taken as an alias of p.a, but the '.' shows it starts the next item.
    if (this.implicitAlias === this.i - 1 && this.isAny(['.', '(', ':', '::', '['])) {
      const alias = this.toks[this.i - 1]!;
      throw new Failure(alias, alias, `expected ${expected} after ${this.showName(this.i - 2)}, found ${show(alias)}`);
    }
    const p = this.prev()!;
    const tail = this.t.kind === 'eof' ? '' : `, found ${show(this.t)}`;
    this.fail(`expected ${expected} after ${show(p)}${tail}`);
  }

  private selectItem(): { alias: boolean; named: boolean } {
    if (this.is('*') || ((this.isName(this.t) || this.t.kind === 'quoted') && this.is('.', this.peek()) && this.is('*', this.peek(2)))) {
      while (!this.is('*')) this.i++;
      this.i++;
      this.starModifiers();
      return { alias: false, named: true };
    }
    const e = this.expr();
    return { alias: this.alias(NOT_SELECT_ALIAS), named: e.named };
  }

  /** `* ILIKE '…' EXCLUDE … REPLACE (…) RENAME …`. */
  private starModifiers(): void {
    for (;;) {
      if (this.eat('ilike')) {
        if (!this.isLiteral()) this.expected('a pattern string');
        this.i++;
      } else if (this.eat('exclude')) {
        if (this.is('(')) this.nameList();
        else this.qualifiedName();
      } else if (this.eat('replace')) {
        if (!this.is('(')) this.expected('`(`');
        this.i++;
        do {
          this.expr();
          this.expect('as');
          this.name();
        } while (this.eat(','));
        this.expect(')');
      } else if (this.eat('rename')) {
        const pair = () => {
          this.qualifiedName();
          this.expect('as');
          this.name();
        };
        if (this.eat('(')) {
          do pair();
          while (this.eat(','));
          this.expect(')');
        } else pair();
      } else return;
    }
  }

  /** `[AS] alias`; returns whether there was one. */
  private alias(notAlias: Set<string>): boolean {
    if (this.eat('as')) {
      if (this.t.kind === 'bind')
        this.fail('a value in {{ }} cannot be an alias: JinjaSQL sends it as a bind parameter (`?`); write the alias in the template text');
      if (this.t.kind === 'string') this.fail(`${show(this.t)} is a string: an alias after AS is a name (write it without quotes, or in double quotes)`);
      this.name();
      return true;
    }
    if (this.t.kind === 'quoted' || (this.t.kind === 'ident' && !notAlias.has(this.t.lw))) {
      this.implicitAlias = this.i;
      this.i++;
      return true;
    }
    return false;
  }

  private name(): void {
    if (this.t.kind === 'quoted' || (this.t.kind === 'ident' && !RESERVED.has(this.t.lw))) {
      this.i++;
      return;
    }
    if (this.t.kind === 'ident') this.fail(`${show(this.t)} is a reserved word: put it in double quotes to use it as a name`);
    this.expected('a name');
  }

  /** The dotted name ending at token k, for messages (`p.region`). */
  private showName(k: number): string {
    let h = k;
    while (h >= 2 && this.is('.', this.toks[h - 1]!) && (this.toks[h - 2]!.kind === 'ident' || this.toks[h - 2]!.kind === 'quoted')) h -= 2;
    const text = this.toks
      .slice(h, k + 1)
      .map(t => t.text)
      .join('');
    return h === k ? show(this.toks[k]!) : `\`${text.length > 40 ? text.slice(0, 37) + '…' : text}\``;
  }

  private isName(t: Tok): boolean {
    return t.kind === 'quoted' || (t.kind === 'ident' && !RESERVED.has(t.lw));
  }

  /** a.b.c (also `db..t`). */
  private qualifiedName(): void {
    this.name();
    while (this.is('.')) {
      this.i++;
      if (this.is('.')) this.i++;
      this.name();
    }
  }

  /** A table name: a qualified name, IDENTIFIER(…), or a `$variable`. */
  private objectName(): void {
    if (this.is('identifier') && this.is('(', this.peek())) {
      this.i++;
      this.args();
      return;
    }
    if (this.t.kind === 'var') {
      this.i++;
      return;
    }
    this.qualifiedName();
  }

  private nameList(): void {
    this.expect('(');
    do this.qualifiedName();
    while (this.eat(','));
    if (!this.eat(')')) this.missingSeparator([')']);
  }

  private orderLimit(): void {
    if (this.eat('order')) {
      this.expect('by');
      this.orderList();
    }
    if (this.eat('limit')) {
      this.limitValue('LIMIT');
      if (this.eat('offset')) this.limitValue('OFFSET');
    } else if (this.is('offset') || this.is('fetch')) {
      if (this.eat('offset')) {
        this.limitValue('OFFSET');
        if (!this.eat('rows')) this.eat('row');
      }
      if (this.eat('fetch')) {
        if (!this.eat('first')) this.eat('next');
        this.limitValue('FETCH');
        if (!this.eat('rows')) this.eat('row');
        this.eat('only');
      }
    }
    // FOR UPDATE [NOWAIT | WAIT n] (hybrid tables).
    if (this.is('for') && this.is('update', this.peek())) {
      this.i += 2;
      if (this.eat('wait')) this.limitValue('WAIT');
      else this.eat('nowait');
    }
  }

  private limitValue(clause: string): void {
    const t = this.t;
    if (t.kind === 'number' || t.kind === 'bind' || t.kind === 'string' || t.kind === 'var' || this.is('null') || this.is('?')) {
      this.i++;
      return;
    }
    if (this.is(':') && this.peek().kind === 'ident') {
      this.i += 2;
      return;
    }
    if (this.is('(')) return void this.expr();
    this.fail(`expected a number after ${clause}, found ${show(t)}`);
  }

  private orderList(): void {
    do {
      this.expr();
      if (!this.eat('asc')) this.eat('desc');
      if (this.eat('nulls') && !this.eat('first') && !this.eat('last')) this.expected('`FIRST` or `LAST`');
    } while (this.eat(','));
  }

  private groupBy(): void {
    this.expect('group');
    this.expect('by');
    if (this.is('all') && !this.is('(', this.peek())) {
      this.i++;
      return;
    }
    for (;;) {
      if (this.is('grouping') && this.is('sets', this.peek())) {
        this.i += 2;
        this.expect('(');
        // Each set is an expression or a parenthesized list, `()` the empty set.
        do {
          if (this.is('(')) this.exprList();
          else this.expr();
        } while (this.eat(','));
        if (!this.eat(')')) this.missingSeparator([')']);
      } else if ((this.is('cube') || this.is('rollup')) && this.is('(', this.peek())) {
        this.i++;
        this.exprList();
      } else {
        if (this.isListEnd()) this.expected('an expression');
        this.expr();
      }
      if (!this.eat(',')) break;
      if (this.isListEnd()) this.fail(`a \`,\` at the end of GROUP BY, before ${show(this.t)}`, this.prev()!);
    }
    // A clause keyword after the list is the clause loop's to judge (WHERE after GROUP BY).
    if (
      !this.isListEnd() &&
      !this.isAny(['having', 'qualify', 'order', 'limit', 'offset', 'fetch', 'connect', 'start', 'where', 'group', 'for', ...SET_OPS, 'window'])
    )
      this.missingSeparator(['having', 'order']);
  }

  private isListEnd(): boolean {
    return (
      this.t.kind === 'eof' || this.is(';') || this.is(')') || this.isAny(['having', 'qualify', 'order', 'limit', 'union', 'except', 'minus', 'intersect'])
    );
  }

  // ---------------------------------------------------------------- FROM

  private fromList(): void {
    if (this.t.kind === 'eof' || this.is(';') || this.is(')') || this.isClauseWord())
      this.fail(`expected a table after \`FROM\`, found ${show(this.t)}`, this.prev()!);
    do this.tableExpr();
    while (this.eat(','));
    if (
      !this.isAny(['where', 'group', 'having', 'qualify', 'order', 'limit', 'offset', 'fetch', 'connect', 'start', 'window', 'for', ...SET_OPS, ';', ')']) &&
      !this.atEnd()
    ) {
      this.missingSeparator(['where', 'group', 'order']);
    }
  }

  private tableExpr(): void {
    this.tableRef();
    for (;;) {
      const j = this.joinKind();
      if (!j) return;
      this.tableRef();
      if (j.asof) {
        if (!this.eat('match_condition')) this.expected('`MATCH_CONDITION (…)` after the ASOF JOIN table');
        if (!this.is('(')) this.expected('`(`');
        this.parenExpr();
      }
      // ON/USING are optional for every join type in Snowflake's JOIN syntax (without them a
      // join is a cross join), so only what follows ON is judged.
      if (this.eat('on')) {
        if (j.natural) this.fail('a NATURAL JOIN takes no ON condition', this.prev()!);
        if (this.isClauseWord() || this.t.kind === 'eof' || this.is(';') || this.is(')'))
          this.fail(`expected a join condition after \`ON\`, found ${show(this.t)}`, this.prev()!);
        this.expr();
      } else if (this.eat('using')) {
        this.nameList();
      }
    }
  }

  private joinKind(): { natural: boolean; asof: boolean } | null {
    const start = this.i;
    const natural = this.eat('natural');
    let asof = false;
    if (this.isAny(['left', 'right', 'full'])) {
      this.i++;
      this.eat('outer');
    } else if (!this.eat('inner') && !this.eat('cross')) asof = this.eat('asof');
    this.eat('directed');
    if (!this.is('join')) {
      if (this.i !== start) this.fail(`expected \`JOIN\` after ${show(this.prev()!)}, found ${show(this.t)}`, this.prev()!);
      return null;
    }
    this.i++;
    return { natural, asof };
  }

  private tableRef(): void {
    this.enter();
    const t = this.t;
    if (this.eat('lateral')) {
      if (this.is('(')) this.parenQuery();
      else this.tableFunction();
    } else if (this.is('table') && this.is('(', this.peek())) {
      this.i++;
      this.args();
    } else if (this.is('(')) {
      const close = this.match[this.i]!;
      const inner = this.peek();
      if (this.is('select', inner) || this.is('with', inner) || this.is('values', inner) || (this.is('(', inner) && this.startsQuery(this.i + 1)))
        this.parenQuery();
      else {
        this.i++;
        this.tableExpr();
        if (this.i !== close) this.missingSeparator([')']);
        this.i++;
      }
    } else if (this.is('values')) this.values();
    else if (t.kind === 'string' || t.kind === 'bind')
      this.i++; // a stage path; a table name in a string is reported on tokens
    else if (this.is('@')) this.unsupported('stage references (`@stage`)');
    else if (t.kind === 'var') this.i++;
    else if (this.is('identifier') && this.is('(', this.peek())) this.objectName();
    else if (t.kind === 'ident' && (RESERVED.has(t.lw) || FROM_ONLY.has(t.lw))) this.fail(`expected a table after ${show(this.prev()!)}, found ${show(t)}`);
    else if (this.isName(t)) {
      this.qualifiedName();
      if (this.is('(')) this.args();
    } else this.fail(`expected a table after ${show(this.prev()!)}, found ${show(t)}`);
    this.tableSuffixes();
    this.depth--;
  }

  /** Whether the '(' at k opens a query (possibly nested in more parentheses). */
  private startsQuery(k: number): boolean {
    while (this.toks[k] && this.is('(', this.toks[k])) k++;
    const t = this.toks[k];
    return !!t && (this.is('select', t) || this.is('with', t));
  }

  private tableFunction(): void {
    if (this.is('table') && this.is('(', this.peek())) {
      this.i++;
      return this.args();
    }
    this.qualifiedName();
    if (!this.is('(')) this.expected('`(` and the arguments of the table function');
    this.args();
  }

  /** AT/BEFORE/CHANGES, SAMPLE, alias, PIVOT/UNPIVOT, MATCH_RECOGNIZE, in any order. */
  private tableSuffixes(): void {
    let aliased = false;
    for (let n = 0; n < 12; n++) {
      if (this.isAny(['at', 'before', 'changes', 'end', 'match_recognize']) && this.is('(', this.peek())) {
        // The result of MATCH_RECOGNIZE (like PIVOT's) takes its own alias.
        if (this.is('match_recognize')) aliased = false;
        this.i++;
        this.skipGroup();
      } else if (this.isAny(['sample', 'tablesample'])) {
        this.i++;
        if (this.isAny(['bernoulli', 'row', 'system', 'block'])) this.i++;
        if (!this.is('(')) this.expected('`(` and the sample size');
        this.skipGroup();
        if (this.isAny(['repeatable', 'seed'])) {
          this.i++;
          if (!this.is('(')) this.expected('`(` and the seed');
          this.skipGroup();
        }
      } else if (this.is('pivot') && this.is('(', this.peek())) {
        this.i++;
        this.pivot();
        aliased = false;
      } else if (this.is('unpivot') && (this.is('(', this.peek()) || this.isAny(['include', 'exclude'], this.peek()))) {
        this.i++;
        if (this.eat('include') || this.eat('exclude')) this.expect('nulls');
        this.unpivot();
        aliased = false;
      } else if (!aliased && (this.is('as') || this.t.kind === 'quoted' || (this.t.kind === 'ident' && !NOT_TABLE_ALIAS.has(this.t.lw)))) {
        this.alias(NOT_TABLE_ALIAS);
        aliased = true;
        if (this.is('(') && !this.is('select', this.peek())) this.nameList();
      } else return;
    }
  }

  private pivot(): void {
    this.expect('(');
    this.expr();
    this.alias(NOT_SELECT_ALIAS);
    while (this.eat(',')) {
      this.expr();
      this.alias(NOT_SELECT_ALIAS);
    }
    this.expect('for');
    this.qualifiedName();
    this.expect('in');
    if (!this.is('(')) this.expected('`(`');
    this.i++;
    if (this.eat('any')) {
      if (this.is('order') && this.is('by', this.peek())) {
        this.i += 2;
        this.orderList();
      }
    } else if (this.is('select') || this.is('with')) this.query();
    else {
      do {
        this.expr();
        this.alias(NOT_SELECT_ALIAS);
      } while (this.eat(','));
    }
    this.expect(')');
    if (this.eat('default')) {
      this.expect('on');
      this.expect('null');
      if (!this.is('(')) this.expected('`(`');
      this.parenExpr();
    }
    this.expect(')');
  }

  private unpivot(): void {
    this.expect('(');
    this.name();
    this.expect('for');
    this.name();
    this.expect('in');
    this.expect('(');
    do {
      this.qualifiedName();
      this.alias(NOT_SELECT_ALIAS);
    } while (this.eat(','));
    this.expect(')');
    this.expect(')');
  }

  // ---------------------------------------------------------------- expressions

  private exprList(): void {
    this.expect('(');
    if (this.eat(')')) return;
    do this.expr();
    while (this.eat(','));
    if (!this.eat(')')) this.missingSeparator([')']);
  }

  private parenExpr(): void {
    this.expect('(');
    this.expr();
    if (!this.eat(')')) this.missingSeparator([')']);
  }

  expr(): Expr {
    this.enter();
    const e = this.binary(0);
    this.depth--;
    return e;
  }

  private binary(minBp: number): Expr {
    let left = this.unary();
    for (;;) {
      const t = this.t;
      let bp = -1;
      if (t.kind === 'ident') {
        const w = t.lw;
        if (w === 'or') bp = 1;
        else if (w === 'and') bp = 2;
        else if (w === 'is' || w === 'like' || w === 'ilike' || w === 'rlike' || w === 'regexp' || w === 'in' || w === 'between' || w === 'not') bp = 4;
        else if (w === 'collate') bp = 9;
      } else if (t.kind === 'op') {
        const o = t.text;
        if (['=', '<', '>', '<=', '>=', '<>', '!=', '=='].includes(o)) bp = 4;
        else if (o === '||') bp = 5;
        else if (o === '+' || o === '-') bp = 6;
        else if (o === '*' || o === '/' || o === '%') bp = 7;
        else if (o === '::' || o === ':' || o === '[') bp = 10;
      } else if (t.kind === 'punct' && t.text === '.') bp = 10;
      if (bp < 0 || bp <= minBp) return left;
      left = { named: false };
      this.infix(t, bp);
      if (t.text === '.' || t.text === ':' || t.text === '[') left = { named: false };
    }
  }

  /** The right operand of `op`; a missing one is reported at the operator (a dangling AND). */
  private operand(op: Tok, bp: number): void {
    if (this.startsExpr()) {
      this.binary(bp);
      return;
    }
    this.fail(`expected an expression after ${show(op)}, found ${show(this.t)}`, op);
  }

  private infix(op: Tok, bp: number): void {
    this.i++;
    const w = op.kind === 'ident' ? op.lw : op.text;
    switch (w) {
      case 'not': {
        if (!this.isAny(['like', 'ilike', 'rlike', 'regexp', 'in', 'between'])) this.expected('`IN`, `LIKE`, `ILIKE`, `RLIKE` or `BETWEEN`');
        return this.infix(this.t, bp);
      }
      case 'is':
        this.eat('not');
        if (this.eat('distinct')) {
          this.expect('from');
          return this.operand(op, bp);
        }
        if (this.isAny(['null', 'true', 'false', 'nan'])) {
          this.i++;
          return;
        }
        return this.expected('`NULL`, `DISTINCT FROM`, `TRUE` or `FALSE`');
      case 'in':
        if (this.is('(')) {
          if (this.is('select', this.peek()) || this.is('with', this.peek())) return this.parenQuery();
          return this.exprList();
        }
        if (this.t.kind === 'bind' || this.t.kind === 'var' || (this.is(':') && this.peek().kind === 'ident')) {
          this.i += this.is(':') ? 2 : 1;
          return;
        }
        return this.expected('`(` and a list of values');
      case 'between':
        this.operand(op, 4);
        if (!this.eat('and')) this.expected('`AND` (BETWEEN … AND …)');
        return this.operand(op, 4);
      case 'like':
      case 'ilike':
      case 'rlike':
      case 'regexp':
        if (this.isAny(['any', 'all', 'some']) && this.is('(', this.peek())) {
          this.i++;
          this.exprList();
        } else this.operand(op, bp);
        if (this.eat('escape')) this.operand(op, bp);
        return;
      case '::':
        return this.type();
      case ':':
        return this.pathStep(true);
      case '.':
        if (this.is('*')) return void this.i++;
        return this.pathStep(false);
      case '[':
        this.expr();
        return this.expect(']');
      case 'collate':
        if (this.t.kind !== 'string') this.expected('a collation string');
        this.i++;
        return;
      default:
        if (['=', '<', '>', '<=', '>=', '<>', '!=', '=='].includes(w) && this.isAny(['any', 'all', 'some']) && this.is('(', this.peek())) {
          this.i++;
          return this.parenQueryOrList();
        }
        return this.operand(op, bp);
    }
  }

  private parenQueryOrList(): void {
    if (this.is('select', this.peek()) || this.is('with', this.peek())) this.parenQuery();
    else this.exprList();
  }

  /** After `:` (semi-structured path) or `.`: a field name. */
  private pathStep(colon: boolean): void {
    const t = this.t;
    if (t.kind === 'ident' || t.kind === 'quoted' || t.kind === 'var' || (colon && t.kind === 'number')) {
      this.i++;
      return;
    }
    this.expected(colon ? 'a path element' : 'a name');
  }

  private type(): void {
    if (this.t.kind !== 'ident') this.expected('a data type');
    const w = this.t.lw;
    this.i++;
    if ((w === 'double' && this.is('precision')) || (w === 'character' && this.is('varying'))) this.i++;
    if (this.isAny(['with', 'without']) && this.is('time', this.peek())) this.i += 3;
    if (this.is('(')) this.skipGroup();
  }

  private startsExpr(): boolean {
    const t = this.t;
    switch (t.kind) {
      case 'number':
      case 'string':
      case 'bind':
      case 'var':
      case 'quoted':
        return true;
      case 'ident':
        return (
          !RESERVED.has(t.lw) ||
          NILADIC.has(t.lw) ||
          ['case', 'cast', 'try_cast', 'exists', 'not', 'null', 'true', 'false', 'current'].includes(t.lw) ||
          (RESERVED_FUNCTIONS.has(t.lw) && this.is('(', this.peek()))
        );
      case 'op':
        return ['-', '+', '?', ':', '[', '{', '*'].includes(t.text);
      case 'punct':
        return t.text === '(';
      default:
        return false;
    }
  }

  private isLiteral(t = this.t): boolean {
    return t.kind === 'string' || t.kind === 'bind' || t.kind === 'number';
  }

  private unary(): Expr {
    const t = this.t;
    const prefix = (t.kind === 'op' && (t.text === '-' || t.text === '+')) || (t.kind === 'ident' && (t.lw === 'not' || t.lw === 'prior'));
    if (!prefix) return this.primary();
    this.enter();
    this.i++;
    this.operand(t, t.lw === 'not' ? 3 : 8);
    this.depth--;
    return { named: false };
  }

  private primary(): Expr {
    const t = this.t;
    const p = this.prev();
    switch (t.kind) {
      case 'number':
      case 'bind':
      case 'var':
        this.i++;
        return { named: false };
      case 'string':
        this.i++;
        // Adjacent string literals are one string in Snowflake ('a' 'b').
        while (this.t.kind === 'string') this.i++;
        return { named: false };
      case 'quoted':
        return this.nameOrCall();
      case 'eof':
        return this.fail(`expected an expression after ${p ? show(p) : 'the start'}, found the end of the statement`, p ?? t);
      case 'op':
        if (t.text === '?') {
          this.i++;
          return { named: false };
        }
        if (t.text === ':' && (this.peek().kind === 'ident' || this.peek().kind === 'quoted' || this.peek().kind === 'number')) {
          this.i += 2;
          return { named: false };
        }
        if (t.text === '[') {
          this.i++;
          if (!this.eat(']')) {
            do this.expr();
            while (this.eat(','));
            if (!this.eat(']')) this.missingSeparator([']']);
          }
          return { named: false };
        }
        if (t.text === '{') return this.objectConstant();
        if (t.text === '*') {
          this.i++;
          return { named: true };
        }
        if (t.text === '->') return this.fail(`expected a lambda parameter before ${show(t)}`);
        if (t.text === '@' || t.text === '!' || t.text === '|') this.unsupported(`the character ${show(t)} here`);
        return this.fail(`expected an expression after ${p ? show(p) : 'the start'}, found ${show(t)}`);
      case 'punct':
        if (t.text === '(') return this.paren();
        return this.fail(`expected an expression after ${p ? show(p) : 'the start'}, found ${show(t)}`);
      case 'ident':
        return this.identExpr();
    }
    return this.unsupported(`${show(t)} here`);
  }

  private objectConstant(): Expr {
    this.expect('{');
    if (this.eat('*')) {
      this.expect('}');
      return { named: false };
    }
    if (!this.eat('}')) {
      do {
        // The key stops before ':' (which would otherwise read as a path).
        this.binary(10);
        this.expect(':');
        this.expr();
      } while (this.eat(','));
      if (!this.eat('}')) this.missingSeparator(['}']);
    }
    return { named: false };
  }

  /** `( query )`, `( expr, … )`, or lambda parameters `(x, y) -> …`. */
  private paren(): Expr {
    const close = this.match[this.i]!;
    if (close >= 0 && this.toks[close + 1]?.text === '->') {
      this.i = close + 2;
      this.expr();
      return { named: false };
    }
    if (
      this.is('select', this.peek()) ||
      this.is('with', this.peek()) ||
      (this.is('(', this.peek()) && this.startsQuery(this.i + 1) && this.queryParenAt(this.i))
    ) {
      this.parenQuery();
      return { named: false };
    }
    const open = this.t;
    this.i++;
    const inner = this.expr();
    while (this.eat(',')) this.expr();
    if (!this.eat(')')) {
      const p = this.prev()!;
      this.fail(`expected \`)\` to close the ${show(open)} after ${show(p)}, found ${show(this.t)}`);
    }
    return inner;
  }

  /** Whether the '(' at k holds a query followed only by set operations/ORDER BY, i.e. `((SELECT …) UNION …)`. */
  private queryParenAt(k: number): boolean {
    const inner = this.match[k + 1]!;
    const after = this.toks[inner + 1];
    return !!after && (this.isAny(SET_OPS, after) || this.is(')', after) || this.is('order', after) || this.is('limit', after));
  }

  private identExpr(): Expr {
    const t = this.t;
    const w = t.lw;
    const next = this.peek();
    // Typed literals: DATE '2024-01-01', INTERVAL '1 day', X'ff'.
    if (TYPED_LITERAL.has(w) && (next.kind === 'string' || next.kind === 'bind')) {
      this.i += 2;
      return { named: false };
    }
    // Lambdas: `x -> …`, and with a typed parameter `x INT -> …`.
    if (this.is('->', next) || (next.kind === 'ident' && this.is('->', this.peek(2)))) {
      this.i += this.is('->', next) ? 2 : 3;
      this.expr();
      return { named: false };
    }
    switch (w) {
      case 'case':
        return this.caseExpr();
      case 'cast':
      case 'try_cast':
        this.i++;
        if (!this.is('(')) this.expected('`(`');
        this.i++;
        this.expr();
        this.expect('as');
        this.type();
        this.expect(')');
        return { named: false };
      case 'exists':
        this.i++;
        if (!this.is('(')) this.expected('`(` and a subquery');
        this.parenQuery();
        return { named: false };
      case 'null':
      case 'true':
      case 'false':
        this.i++;
        return { named: false };
    }
    if (RESERVED_FUNCTIONS.has(w) && this.is('(', next)) return this.call();
    if (NILADIC.has(w)) {
      this.i++;
      if (this.is('(')) this.args();
      return { named: false };
    }
    if (w === 'current' && this.isAny(['date', 'time', 'timestamp', 'user', 'role', 'database', 'schema', 'warehouse', 'region', 'account'], next)) {
      this.i += 2;
      return { named: false };
    }
    if (RESERVED.has(w)) {
      const p = this.prev();
      this.fail(`expected an expression after ${p ? show(p) : 'the start'}, found ${show(t)}`);
    }
    return this.nameOrCall();
  }

  private nameOrCall(): Expr {
    const first = this.t;
    const firstAt = this.i;
    this.i++;
    let plain = true;
    while (this.is('.') && (this.peek().kind === 'ident' || this.peek().kind === 'quoted' || this.is('.', this.peek()))) {
      this.i++;
      if (this.is('.')) this.i++;
      if (this.t.kind === 'ident' && RESERVED.has(this.t.lw) && !this.is('(', this.peek())) plain = false;
      this.i++;
    }
    if (this.is('(')) {
      const identifier = first.kind === 'ident' && first.lw === 'identifier' && this.i === firstAt + 1;
      const argStart = this.i + 1;
      const fn = this.toks[this.i - 1]!;
      if (fn.kind === 'ident' && SKIPPED_ARGS.has(fn.lw)) {
        this.skipGroup();
        return { named: false };
      }
      this.i--;
      this.call();
      // IDENTIFIER('t.col') names a column; IDENTIFIER(?) too.
      const one = this.toks[argStart]!;
      return { named: identifier && (one.kind === 'string' || one.kind === 'bind') && this.toks[argStart + 1]?.text === ')' };
    }
    return { named: plain };
  }

  /** name( args ) and what may follow a call: WITHIN GROUP, IGNORE/RESPECT NULLS, FROM FIRST/LAST, OVER. */
  private call(): Expr {
    this.i++;
    this.args();
    if (this.is('within') && this.is('group', this.peek())) {
      this.i += 2;
      if (!this.is('(')) this.expected('`(ORDER BY …)`');
      this.i++;
      this.expect('order');
      this.expect('by');
      this.orderList();
      this.expect(')');
    }
    if (this.is('from') && this.isAny(['first', 'last'], this.peek())) this.i += 2;
    if (this.isAny(['ignore', 'respect']) && this.is('nulls', this.peek())) this.i += 2;
    if (this.eat('over')) {
      if (this.is('(')) this.window();
      else this.name();
    }
    return { named: false };
  }

  private window(): void {
    this.expect('(');
    if (this.eat('partition')) {
      this.expect('by');
      do this.expr();
      while (this.eat(','));
    }
    if (this.eat('order')) {
      this.expect('by');
      this.orderList();
    }
    // Frames (ROWS/RANGE/GROUPS BETWEEN …) are not judged.
    if (this.isAny(['rows', 'range', 'groups'])) {
      while (!this.is(')') && this.t.kind !== 'eof') {
        if (this.is('(')) this.skipGroup();
        else this.i++;
      }
    }
    if (!this.eat(')')) this.missingSeparator(['order', ')']);
  }

  /** ( [DISTINCT|ALL] arg, … ) at the current '('. */
  private args(): void {
    const open = this.t;
    const close = this.match[this.i]!;
    this.expect('(');
    if (this.eat(')')) return;
    if (!this.eat('distinct')) this.eat('all');
    for (;;) {
      if (this.t.kind === 'ident' && this.is('=>', this.peek())) this.i += 2;
      if (this.is('*') && (this.is(')', this.peek()) || this.is(',', this.peek()) || this.isAny(['exclude', 'ilike', 'replace', 'rename'], this.peek()))) {
        this.i++;
        this.starModifiers();
      } else if ((this.isName(this.t) || this.t.kind === 'quoted') && this.is('.', this.peek()) && this.is('*', this.peek(2))) {
        this.i += 3;
      } else {
        if (this.is(')') || this.is(',')) this.fail(`expected an argument after ${show(this.prev()!)}, found ${show(this.t)}`);
        this.expr();
      }
      if (this.eat(',')) continue;
      if (this.eat(')')) return;
      // Functions with keyword syntax (EXTRACT(… FROM …), CAST(… AS …), POSITION(… IN …), ORDER BY
      // inside an aggregate): not judged.
      if (this.t.kind === 'ident' && ARG_KEYWORDS.has(this.t.lw) && close >= 0) {
        this.i = close + 1;
        return;
      }
      if (close < 0) this.fail(`this ${show(open)} is never closed`, open);
      this.missingSeparator([')']);
    }
  }

  private caseExpr(): Expr {
    const open = this.t;
    this.i++;
    if (!this.is('when')) this.expr();
    if (!this.is('when')) this.expected('`WHEN`');
    while (this.eat('when')) {
      this.expr();
      if (!this.eat('then')) this.expected('`THEN`');
      this.expr();
    }
    if (this.eat('else')) this.expr();
    if (!this.eat('end')) {
      const p = this.prev()!;
      this.fail(`this CASE is never closed: expected \`WHEN\`, \`ELSE\` or \`END\` after ${show(p)}, found ${show(this.t)}`, open);
    }
    return { named: false };
  }
}
