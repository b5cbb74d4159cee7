/**
 * Tolerant Jinja2 parser. Grammar and precedence follow jinja2/parser.py (3.1) so the tree
 * means what Jinja means; unlike Jinja it does not stop at the first error. An error inside
 * a tag skips to the end of that tag; a block left open at the end of the template is
 * reported at its opening tag; a stray or mismatched end tag is reported and ignored (or
 * closes the blocks it skips over). Every error carries an exact range.
 */
import type * as A from './ast.js';
import type { Token } from './ast.js';
import type { Finding } from '../findings.js';
import type { Span } from '../text/span.js';
import { lex } from './lexer.js';

export interface ParseResult {
  template: A.TemplateNode;
  errors: Finding[];
  tokens: Token[];
}

/** Tags that Jinja's default environment does not provide; each gets a clear message. */
const LOADER_TAGS = new Set(['include', 'import', 'from', 'extends']);
const UNSUPPORTED_TAGS: Record<string, string> = {
  do: "Encountered unknown tag 'do'. The 'do' extension is not enabled in clean room templates",
  break: "Encountered unknown tag 'break'. Loop controls are not enabled in clean room templates",
  continue: "Encountered unknown tag 'continue'. Loop controls are not enabled in clean room templates",
};

const END_TAGS = new Set(['endif', 'endfor', 'endset', 'endmacro', 'endcall', 'endfilter', 'endwith', 'endblock', 'endautoescape', 'elif', 'else', 'endraw']);

const MAX_ERRORS = 100;

/**
 * Thrown to unwind to the enclosing tag. Deliberately not an Error: capturing a JS stack
 * for every syntax error cost seconds on templates with thousands of them.
 */
class ParseError {
  constructor(
    readonly message: string,
    readonly span: Span,
  ) {}
}

const DESCRIBE: Record<string, string> = {
  variable_end: 'end of print statement',
  block_end: 'end of statement block',
  variable_begin: 'begin of print statement',
  block_begin: 'begin of statement block',
  eof: 'end of template',
  data: 'template data / text',
};

function describe(t: Token): string {
  if (t.type === 'name' || t.type === 'operator') return t.value;
  if (t.type === 'string') return 'string';
  if (t.type === 'integer') return 'integer';
  if (t.type === 'float') return 'float';
  return DESCRIBE[t.type] ?? t.type;
}

interface OpenBlock {
  tag: string;
  span: Span;
  endTokens: string[];
}

export interface ParseOptions {
  /**
   * JinjaSQL rewrites `{{ }}` to `{{ ()|bind(...) }}` before Jinja parses it, so an empty
   * expression is not a syntax error there (it fails at render time). Default true.
   */
  jinjasql?: boolean;
}

export function parse(text: string, options: ParseOptions = {}): ParseResult {
  const { tokens, problems } = lex(text);
  const p = new Parser(tokens, options.jinjasql ?? true);
  for (const pr of problems) p.report(pr.message, pr.span);
  const body = p.subparseTop();
  const errors = dedupe(p.errors);
  return { template: { kind: 'Template', span: { start: 0, end: text.length }, body }, errors, tokens };
}

/** One error per position: the lexer's report of a bad character explains the parser's. */
function dedupe(errors: Finding[]): Finding[] {
  const seen = new Set<number>();
  return errors
    .filter(e => {
      if (seen.has(e.span.start)) return false;
      seen.add(e.span.start);
      return true;
    })
    .sort((a, b) => a.span.start - b.span.start);
}

class Parser {
  errors: Finding[] = [];
  private i = 0;
  private readonly stack: OpenBlock[] = [];
  private depth = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly jinjasql: boolean,
  ) {}

  report(message: string, span: Span): void {
    // A pathological template (50k nested tags) must not produce 50k diagnostics.
    if (this.errors.length >= MAX_ERRORS) return;
    this.errors.push({ code: 'DCR001', severity: 'error', message, span });
  }

  // ------------------------------------------------------------ token stream

  private get cur(): Token {
    return this.tokens[this.i]!;
  }
  private look(n = 1): Token {
    return this.tokens[Math.min(this.i + n, this.tokens.length - 1)]!;
  }
  private next(): Token {
    const t = this.cur;
    if (t.type !== 'eof') this.i++;
    return t;
  }
  private isName(value?: string, t: Token = this.cur): boolean {
    return t.type === 'name' && (value === undefined || t.value === value);
  }
  private isOp(value: string, t: Token = this.cur): boolean {
    return t.type === 'operator' && t.value === value;
  }
  private skipName(value: string): Token | null {
    return this.isName(value) ? this.next() : null;
  }
  private skipOp(value: string): Token | null {
    return this.isOp(value) ? this.next() : null;
  }
  private fail(message: string, span: Span = this.cur.span): never {
    throw new ParseError(message, span);
  }
  private expectOp(value: string): Token {
    if (this.isOp(value)) return this.next();
    return this.fail(`expected token '${value}', got '${describe(this.cur)}'`);
  }
  private expectName(): Token {
    if (this.cur.type === 'name') return this.next();
    return this.fail(`expected token 'name', got '${describe(this.cur)}'`);
  }
  /** Skips to (not past) the end of the current tag, after an error. */
  private syncToTagEnd(): void {
    while (!['block_end', 'variable_end', 'eof', 'block_begin', 'variable_begin', 'data'].includes(this.cur.type)) this.i++;
  }
  private guard<T>(fn: () => T, fallback: () => T): T {
    try {
      return fn();
    } catch (e) {
      if (!(e instanceof ParseError)) throw e;
      this.report(e.message, e.span);
      this.syncToTagEnd();
      return fallback();
    }
  }
  private errorExpr(at: Span = this.cur.span): A.ErrorExpr {
    return { kind: 'ErrorExpr', span: at };
  }
  private spanFrom(start: number): Span {
    const prev = this.tokens[this.i - 1];
    return { start, end: Math.max(start, prev ? prev.span.end : start) };
  }

  // ------------------------------------------------------------ template level

  subparseTop(): A.Stmt[] {
    const body = this.subparse(null);
    while (this.cur.type !== 'eof') {
      // A stray end tag returned control to the top: keep going after it.
      this.i++;
      body.push(...this.subparse(null));
    }
    return body;
  }

  /**
   * Parses statements until one of `endTokens` is the current tag name (positioned on it,
   * after the `{%`), or until the end of the template.
   */
  private subparse(endTokens: string[] | null): A.Stmt[] {
    const body: A.Stmt[] = [];
    for (;;) {
      const t = this.cur;
      if (t.type === 'eof') return body;
      if (t.type === 'data') {
        this.next();
        body.push({ kind: 'Text', value: t.value, span: t.span });
        continue;
      }
      if (t.type === 'variable_begin') {
        body.push(this.parseOutput());
        continue;
      }
      if (t.type === 'block_begin') {
        const begin = this.next();
        const nameTok = this.cur;
        if (endTokens && nameTok.type === 'name' && endTokens.includes(nameTok.value)) return body;
        if (nameTok.type === 'name' && END_TAGS.has(nameTok.value)) {
          // An end tag that does not close the innermost block.
          const handled = this.strayEndTag(nameTok, begin);
          if (handled === 'return') {
            this.i--; // leave the parser on the block_begin for the enclosing level
            return body;
          }
          continue;
        }
        const stmt = this.guard(
          () => this.parseStatement(begin),
          (): A.Stmt => ({ kind: 'ErrorStmt', span: this.spanFrom(begin.span.start) }),
        );
        body.push(stmt);
        this.closeTag(begin);
        continue;
      }
      // block_end / variable_end outside a tag cannot happen; skip defensively.
      this.next();
    }
  }

  /** Expects the `%}` of a statement, reporting and skipping junk before it. */
  private closeTag(begin: Token): void {
    if (this.cur.type === 'block_end') {
      this.next();
      return;
    }
    if (this.cur.type === 'eof' || this.cur.type === 'data' || this.cur.type === 'block_begin' || this.cur.type === 'variable_begin') return;
    this.report(`expected token 'end of statement block', got '${describe(this.cur)}'`, this.cur.span);
    this.syncToTagEnd();
    if (this.at('block_end')) this.next();
    void begin;
  }

  /** Reads the current token type without TypeScript narrowing it across calls. */
  private at(type: Token['type']): boolean {
    return this.cur.type === type;
  }

  private strayEndTag(nameTok: Token, begin: Token): 'return' | 'skipped' {
    const name = nameTok.value;
    const owner = [...this.stack].reverse().find(b => b.endTokens.includes(name));
    if (owner) {
      // A nesting mistake: `name` closes an outer block, so the inner ones were never closed.
      const inner = this.stack[this.stack.length - 1]!;
      this.report(
        `Encountered unknown tag '${name}'. You probably made a nesting mistake. Jinja is expecting this tag, but currently looking for ${quoteList(inner.endTokens)}. The innermost block that needs to be closed is '${inner.tag}'.`,
        { start: begin.span.start, end: this.tagEnd(begin) },
      );
      return 'return';
    }
    const inner = this.stack[this.stack.length - 1];
    const msg = inner
      ? `Encountered unknown tag '${name}'. Jinja was looking for the following tags: ${quoteList(inner.endTokens)}. The innermost block that needs to be closed is '${inner.tag}'.`
      : `Encountered unknown tag '${name}'.`;
    this.report(msg, { start: begin.span.start, end: this.tagEnd(begin) });
    this.syncToTagEnd();
    if (this.cur.type === 'block_end') this.next();
    return 'skipped';
  }

  /** End offset of the tag starting at `begin` (its `%}` if present). */
  private tagEnd(begin: Token): number {
    for (let k = this.i; k < this.tokens.length; k++) {
      const t = this.tokens[k]!;
      if (t.type === 'block_end') return t.span.end;
      if (t.type !== 'name' && t.type !== 'operator' && t.type !== 'string' && t.type !== 'integer' && t.type !== 'float') break;
    }
    return Math.max(begin.span.end, this.cur.span.start);
  }

  /**
   * Parses a block body up to one of `endTokens`. Positioned after the header; expects the
   * header's `%}` first. Returns the body and the name of the end tag found (or null at EOF).
   */
  private parseBody(tag: string, tagSpan: Span, endTokens: string[]): { body: A.Stmt[]; end: Token | null } {
    if (this.cur.type === 'operator' && this.cur.value === ':') this.next();
    if (this.cur.type !== 'block_end') {
      if (this.cur.type !== 'eof') this.report(`expected token 'end of statement block', got '${describe(this.cur)}'`, this.cur.span);
      this.syncToTagEnd();
    }
    if (this.cur.type === 'block_end') this.next();
    this.stack.push({ tag, span: tagSpan, endTokens });
    const body = this.subparse(endTokens);
    this.stack.pop();
    if (this.cur.type === 'eof') {
      this.report(
        `Unexpected end of template. Jinja was looking for the following tags: ${quoteList(endTokens)}. The innermost block that needs to be closed is '${tag}'.`,
        tagSpan,
      );
      return { body, end: null };
    }
    if (this.cur.type === 'block_begin') {
      // Returned because an outer block's end tag was found (nesting mistake): not ours.
      return { body, end: null };
    }
    return { body, end: this.cur };
  }

  /** Consumes the end tag found by parseBody (the name and the rest of the tag). */
  private finishEnd(end: Token | null, allowTrailingName?: string): void {
    if (!end) return;
    this.next(); // the end tag's name
    if (allowTrailingName && this.isName(allowTrailingName)) this.next();
    // closeTag at the caller's level consumes `%}` — but end tags are consumed here:
    this.closeTag(end);
  }

  // ------------------------------------------------------------ statements

  private parseOutput(): A.OutputNode {
    const begin = this.next();
    const first = this.i;
    if (this.jinjasql && this.at('variable_end')) {
      const end = this.next();
      const span = { start: begin.span.end, end: end.span.start };
      return {
        kind: 'Output',
        expr: { kind: 'Tuple', items: [], span },
        empty: true,
        span: { start: begin.span.start, end: end.span.end },
        lastToken: { type: begin.type, value: begin.value, span: begin.span },
        bindName: 'bind#0',
      };
    }
    const expr = this.guard(
      () => this.parseTuple({ withCondexpr: true }),
      () => this.errorExpr({ start: begin.span.end, end: this.cur.span.start }),
    );
    if (this.cur.type !== 'variable_end') {
      if (this.cur.type !== 'eof') {
        this.report(`expected token 'end of print statement', got '${describe(this.cur)}'`, this.cur.span);
      }
      this.syncToTagEnd();
    }
    const last = this.i - 1 >= first ? this.tokens[this.i - 1]! : null;
    const endTok = this.cur.type === 'variable_end' ? this.next() : null;
    const lastInner = last && last !== begin && last.type !== 'variable_begin' ? last : null;
    return {
      kind: 'Output',
      expr,
      span: { start: begin.span.start, end: endTok ? endTok.span.end : this.tokens[this.i - 1]!.span.end },
      lastToken: lastInner ? { type: lastInner.type, value: lastInner.value, span: lastInner.span } : null,
      bindName: bindNameOf(this.tokens, first, this.i),
    };
  }

  private parseStatement(begin: Token): A.Stmt {
    const t = this.cur;
    if (t.type !== 'name') this.fail('tag name expected');
    if (++this.depth > 400) this.fail('template nests too deeply (more than 400 blocks)');
    try {
      switch (t.value) {
        case 'if':
          return this.parseIf(begin);
        case 'for':
          return this.parseFor(begin);
        case 'set':
          return this.parseSet(begin);
        case 'macro':
          return this.parseMacro(begin);
        case 'call':
          return this.parseCallBlock(begin);
        case 'filter':
          return this.parseFilterBlock(begin);
        case 'with':
          return this.parseWith(begin);
        case 'block':
          return this.parseBlock(begin);
        case 'autoescape':
          return this.parseAutoescape(begin);
        case 'print':
          return this.parsePrint(begin);
      }
      if (LOADER_TAGS.has(t.value)) {
        const tagSpan = this.headerSpan(begin);
        this.next();
        this.syncToTagEnd();
        return { kind: 'Loader', tagName: t.value as A.LoaderStmt['tagName'], span: tagSpan, tag: tagSpan };
      }
      const unsupported = Object.prototype.hasOwnProperty.call(UNSUPPORTED_TAGS, t.value) ? UNSUPPORTED_TAGS[t.value] : undefined;
      return this.fail(unsupported ?? `Encountered unknown tag '${t.value}'.`, { start: begin.span.start, end: this.tagEnd(begin) });
    } finally {
      this.depth--;
    }
  }

  private headerSpan(begin: Token): Span {
    return { start: begin.span.start, end: this.tagEnd(begin) };
  }

  private parseIf(begin: Token): A.IfNode {
    const tagSpan = this.headerSpan(begin);
    this.next();
    const branches: A.IfNode['branches'] = [];
    let test = this.guard(
      () => this.parseTuple({ withCondexpr: false }),
      () => this.errorExpr(),
    );
    let branchTag = tagSpan;
    let elseBody: A.Stmt[] | null = null;
    for (;;) {
      const { body, end } = this.parseBody('if', tagSpan, ['elif', 'else', 'endif']);
      branches.push({ test, body, tag: branchTag });
      if (!end) break;
      if (end.value === 'elif') {
        const elifBegin = this.tokens[this.i - 1]!;
        branchTag = this.headerSpan(elifBegin);
        this.next();
        test = this.guard(
          () => this.parseTuple({ withCondexpr: false }),
          () => this.errorExpr(),
        );
        continue;
      }
      if (end.value === 'else') {
        this.next();
        const r = this.parseBody('if', tagSpan, ['endif']);
        elseBody = r.body;
        this.finishEnd(r.end);
        break;
      }
      this.finishEnd(end);
      break;
    }
    return { kind: 'If', span: this.spanFrom(begin.span.start), tag: tagSpan, branches, else: elseBody };
  }

  private parseFor(begin: Token): A.ForNode {
    const tagSpan = this.headerSpan(begin);
    this.next();
    let target: A.Target = { kind: 'NameTarget', name: '', span: this.cur.span };
    let iter: A.Expr = this.errorExpr();
    let filter: A.Expr | null = null;
    let recursive = false;
    this.guard(
      () => {
        target = this.parseAssignTarget({ extraEnd: ['in'] });
        if (!this.skipName('in')) this.fail(`expected token 'in', got '${describe(this.cur)}'`);
        iter = this.parseTuple({ withCondexpr: false, extraEnd: ['recursive'] });
        if (this.skipName('if')) filter = this.parseExpression(true);
        recursive = !!this.skipName('recursive');
      },
      () => undefined,
    );
    const r = this.parseBody('for', tagSpan, ['endfor', 'else']);
    let elseBody: A.Stmt[] | null = null;
    if (r.end && r.end.value === 'else') {
      this.next();
      const r2 = this.parseBody('for', tagSpan, ['endfor']);
      elseBody = r2.body;
      this.finishEnd(r2.end);
    } else this.finishEnd(r.end);
    return { kind: 'For', span: this.spanFrom(begin.span.start), tag: tagSpan, target, iter, filter, recursive, body: r.body, else: elseBody };
  }

  private parseSet(begin: Token): A.SetNode | A.SetBlockNode {
    const tagSpan = this.headerSpan(begin);
    this.next();
    const target = this.parseAssignTarget({ withNamespace: true });
    if (this.skipOp('=')) {
      const value = this.parseTuple({ withCondexpr: true });
      return { kind: 'Set', span: this.spanFrom(begin.span.start), tag: tagSpan, target, value };
    }
    const filters = this.guard(
      () => this.parseFilterChain(false),
      () => [],
    );
    const r = this.parseBody('set', tagSpan, ['endset']);
    this.finishEnd(r.end);
    return { kind: 'SetBlock', span: this.spanFrom(begin.span.start), tag: tagSpan, target, filters, body: r.body };
  }

  private parseMacro(begin: Token): A.MacroNode {
    const tagSpan = this.headerSpan(begin);
    this.next();
    const nameTok = this.guard(
      () => this.expectName(),
      () => this.cur,
    );
    let params: A.Param[] = [];
    if (nameTok.type === 'name')
      params = this.guard(
        () => this.parseSignature(),
        () => [],
      );
    const r = this.parseBody('macro', tagSpan, ['endmacro']);
    this.finishEnd(r.end);
    return {
      kind: 'Macro',
      span: this.spanFrom(begin.span.start),
      tag: tagSpan,
      name: nameTok.type === 'name' ? nameTok.value : '',
      nameSpan: nameTok.span,
      params,
      body: r.body,
    };
  }

  private parseSignature(): A.Param[] {
    const params: A.Param[] = [];
    let sawDefault = false;
    this.expectOp('(');
    while (!this.isOp(')')) {
      if (params.length) this.expectOp(',');
      if (this.isOp(')')) break;
      const tok = this.expectName();
      this.checkAssignableName(tok);
      let def: A.Expr | null = null;
      if (this.skipOp('=')) {
        def = this.parseExpression(true);
        sawDefault = true;
      } else if (sawDefault) this.fail('non-default argument follows default argument', tok.span);
      params.push({ name: tok.value, default: def, span: this.spanFrom(tok.span.start) });
    }
    this.expectOp(')');
    return params;
  }

  private parseCallBlock(begin: Token): A.CallBlockNode {
    const tagSpan = this.headerSpan(begin);
    this.next();
    let params: A.Param[] = [];
    let call: A.CallExpr = { kind: 'Call', span: this.cur.span, callee: this.errorExpr(), args: [], dynArgs: null, dynKwargs: null };
    this.guard(
      () => {
        if (this.isOp('(')) params = this.parseSignature();
        const e = this.parseExpression(true);
        if (e.kind !== 'Call') this.fail('expected call', e.span);
        call = e;
      },
      () => undefined,
    );
    const r = this.parseBody('call', tagSpan, ['endcall']);
    this.finishEnd(r.end);
    return { kind: 'CallBlock', span: this.spanFrom(begin.span.start), tag: tagSpan, call, params, body: r.body };
  }

  private parseFilterBlock(begin: Token): A.FilterBlockNode {
    const tagSpan = this.headerSpan(begin);
    this.next();
    const filters = this.guard(
      () => this.parseFilterChain(true),
      () => [],
    );
    const r = this.parseBody('filter', tagSpan, ['endfilter']);
    this.finishEnd(r.end);
    return { kind: 'FilterBlock', span: this.spanFrom(begin.span.start), tag: tagSpan, filters, body: r.body };
  }

  private parseWith(begin: Token): A.WithNode {
    const tagSpan = this.headerSpan(begin);
    this.next();
    const assignments: A.WithNode['assignments'] = [];
    this.guard(
      () => {
        while (this.cur.type !== 'block_end' && this.cur.type !== 'eof') {
          if (assignments.length) this.expectOp(',');
          const target = this.parseAssignTarget({});
          this.expectOp('=');
          assignments.push({ target, value: this.parseExpression(true) });
        }
      },
      () => undefined,
    );
    const r = this.parseBody('with', tagSpan, ['endwith']);
    this.finishEnd(r.end);
    return { kind: 'With', span: this.spanFrom(begin.span.start), tag: tagSpan, assignments, body: r.body };
  }

  private parseBlock(begin: Token): A.BlockNode {
    const tagSpan = this.headerSpan(begin);
    this.next();
    const name = this.guard(
      () => this.expectName().value,
      () => '',
    );
    this.skipName('scoped');
    this.skipName('required');
    const r = this.parseBody('block', tagSpan, ['endblock']);
    this.finishEnd(r.end, name);
    return { kind: 'Block', span: this.spanFrom(begin.span.start), tag: tagSpan, name, body: r.body };
  }

  /** `{% autoescape bool %}` is accepted; its body renders in place. */
  private parseAutoescape(begin: Token): A.WithNode {
    const tagSpan = this.headerSpan(begin);
    this.next();
    this.guard(
      () => this.parseExpression(true),
      () => this.errorExpr(),
    );
    const r = this.parseBody('autoescape', tagSpan, ['endautoescape']);
    this.finishEnd(r.end);
    return { kind: 'With', span: this.spanFrom(begin.span.start), tag: tagSpan, assignments: [], body: r.body };
  }

  /** `{% print x %}`: like `{{ x }}`, but JinjaSQL's bind rewrite only sees `{{ }}`. */
  private parsePrint(begin: Token): A.OutputNode {
    this.next();
    const expr = this.parseTuple({ withCondexpr: true });
    return { kind: 'Output', expr, span: this.spanFrom(begin.span.start), lastToken: null, bindName: '' };
  }

  // ------------------------------------------------------------ assignment targets

  private checkAssignableName(tok: Token): void {
    if (['true', 'false', 'none', 'True', 'False', 'None'].includes(tok.value)) this.fail(`can't assign to 'const'`, tok.span);
  }

  private parseAssignTarget(opts: { extraEnd?: string[]; withNamespace?: boolean }): A.Target {
    if (opts.withNamespace && this.cur.type === 'name' && this.isOp('.', this.look())) {
      const obj = this.next();
      this.next();
      const attr = this.expectName();
      return { kind: 'AttrTarget', object: obj.value, objectSpan: obj.span, attr: attr.value, span: { start: obj.span.start, end: attr.span.end } };
    }
    const start = this.cur.span.start;
    const items: A.Target[] = [];
    let isTuple = false;
    const parens = this.skipOp('(');
    for (;;) {
      if (items.length) this.expectOp(',');
      if (this.isTupleEnd(opts.extraEnd) || (parens && this.isOp(')'))) break;
      items.push(this.parseSimpleTarget());
      if (this.isOp(',')) isTuple = true;
      else break;
    }
    if (parens) this.expectOp(')');
    if (!isTuple && items.length === 1 && !parens) return items[0]!;
    if (!isTuple && items.length === 1 && parens) return items[0]!;
    if (items.length === 0) this.fail(`expected an expression, got '${describe(this.cur)}'`);
    return { kind: 'TupleTarget', items, span: this.spanFrom(start) };
  }

  private parseSimpleTarget(): A.Target {
    if (this.isOp('(')) return this.parseAssignTarget({});
    const tok = this.cur;
    if (tok.type !== 'name') {
      const what = tok.type === 'string' || tok.type === 'integer' || tok.type === 'float' ? 'const' : describe(tok);
      this.fail(`can't assign to '${what}'`, tok.span);
    }
    this.checkAssignableName(tok);
    this.next();
    return { kind: 'NameTarget', name: tok.value, span: tok.span };
  }

  // ------------------------------------------------------------ expressions

  private isTupleEnd(extraEnd?: string[]): boolean {
    const t = this.cur;
    if (t.type === 'variable_end' || t.type === 'block_end' || t.type === 'eof' || this.isOp(')')) return true;
    return !!extraEnd && t.type === 'name' && extraEnd.includes(t.value);
  }

  private parseTuple(opts: { withCondexpr?: boolean; extraEnd?: string[]; explicitParens?: boolean; start?: number }): A.Expr {
    const start = opts.start ?? this.cur.span.start;
    const items: A.Expr[] = [];
    let isTuple = false;
    for (;;) {
      if (items.length) this.expectOp(',');
      if (this.isTupleEnd(opts.extraEnd)) break;
      items.push(this.parseExpression(opts.withCondexpr !== false));
      if (this.isOp(',')) isTuple = true;
      else break;
    }
    if (!isTuple) {
      if (items.length) return items[0]!;
      if (!opts.explicitParens) this.fail(`Expected an expression, got '${describe(this.cur)}'`);
    }
    return { kind: 'Tuple', items, span: this.spanFrom(start) };
  }

  private parseExpression(withCondexpr: boolean): A.Expr {
    if (++this.depth > 400) this.fail('expression nests too deeply');
    try {
      return withCondexpr ? this.parseCondexpr() : this.parseOr();
    } finally {
      this.depth--;
    }
  }

  private parseCondexpr(): A.Expr {
    const start = this.cur.span.start;
    let expr1 = this.parseOr();
    while (this.skipName('if')) {
      const test = this.parseOr();
      let other: A.Expr | null = null;
      if (this.skipName('else')) other = this.parseExpression(true);
      expr1 = { kind: 'Cond', test, then: expr1, else: other, span: this.spanFrom(start) };
    }
    return expr1;
  }

  private parseOr(): A.Expr {
    const start = this.cur.span.start;
    let left = this.parseAnd();
    while (this.skipName('or')) left = { kind: 'Or', left, right: this.parseAnd(), span: this.spanFrom(start) };
    return left;
  }

  private parseAnd(): A.Expr {
    const start = this.cur.span.start;
    let left = this.parseNot();
    while (this.skipName('and')) left = { kind: 'And', left, right: this.parseNot(), span: this.spanFrom(start) };
    return left;
  }

  private parseNot(): A.Expr {
    if (this.isName('not')) {
      const start = this.next().span.start;
      if (++this.depth > 400) this.fail('expression nests too deeply');
      try {
        return { kind: 'Unary', op: 'not', operand: this.parseNot(), span: this.spanFrom(start) };
      } finally {
        this.depth--;
      }
    }
    return this.parseCompare();
  }

  private parseCompare(): A.Expr {
    const start = this.cur.span.start;
    const first = this.parseMath1();
    const rest: A.CompareExpr['rest'] = [];
    for (;;) {
      const t = this.cur;
      if (t.type === 'operator' && ['==', '!=', '<', '<=', '>', '>='].includes(t.value)) {
        this.next();
        rest.push({ op: t.value as A.CompareOp, expr: this.parseMath1(), opSpan: t.span });
      } else if (this.isName('in')) {
        this.next();
        rest.push({ op: 'in', expr: this.parseMath1(), opSpan: t.span });
      } else if (this.isName('not') && this.isName('in', this.look())) {
        this.next();
        const inTok = this.next();
        rest.push({ op: 'not in', expr: this.parseMath1(), opSpan: { start: t.span.start, end: inTok.span.end } });
      } else break;
    }
    if (!rest.length) return first;
    return { kind: 'Compare', first, rest, span: this.spanFrom(start) };
  }

  private parseMath1(): A.Expr {
    const start = this.cur.span.start;
    let left = this.parseConcat();
    while (this.isOp('+') || this.isOp('-')) {
      const op = this.next();
      left = { kind: 'Binary', op: op.value as A.BinaryOp, left, right: this.parseConcat(), opSpan: op.span, span: this.spanFrom(start) };
    }
    return left;
  }

  private parseConcat(): A.Expr {
    const start = this.cur.span.start;
    const items = [this.parseMath2()];
    while (this.skipOp('~')) items.push(this.parseMath2());
    if (items.length === 1) return items[0]!;
    return { kind: 'Concat', items, span: this.spanFrom(start) };
  }

  private parseMath2(): A.Expr {
    const start = this.cur.span.start;
    let left = this.parsePow();
    while (this.isOp('*') || this.isOp('/') || this.isOp('//') || this.isOp('%')) {
      const op = this.next();
      left = { kind: 'Binary', op: op.value as A.BinaryOp, left, right: this.parsePow(), opSpan: op.span, span: this.spanFrom(start) };
    }
    return left;
  }

  private parsePow(): A.Expr {
    const start = this.cur.span.start;
    let left = this.parseUnary(true);
    while (this.isOp('**')) {
      const op = this.next();
      left = { kind: 'Binary', op: '**', left, right: this.parseUnary(true), opSpan: op.span, span: this.spanFrom(start) };
    }
    return left;
  }

  private parseUnary(withFilter: boolean): A.Expr {
    const start = this.cur.span.start;
    let node: A.Expr;
    if (this.isOp('-') || this.isOp('+')) {
      const op = this.next().value as '-' | '+';
      if (++this.depth > 400) this.fail('expression nests too deeply');
      try {
        node = { kind: 'Unary', op, operand: this.parseUnary(false), span: this.spanFrom(start) };
      } finally {
        this.depth--;
      }
    } else node = this.parsePrimary();
    node = this.parsePostfix(node, start);
    if (withFilter) node = this.parseFilterExpr(node, start);
    return node;
  }

  private parsePrimary(): A.Expr {
    const t = this.cur;
    if (t.type === 'name') {
      this.next();
      if (t.value === 'true' || t.value === 'True') return { kind: 'Const', value: { type: 'bool', value: true }, span: t.span };
      if (t.value === 'false' || t.value === 'False') return { kind: 'Const', value: { type: 'bool', value: false }, span: t.span };
      if (t.value === 'none' || t.value === 'None') return { kind: 'Const', value: { type: 'none' }, span: t.span };
      return { kind: 'Name', name: t.value, span: t.span };
    }
    if (t.type === 'string') {
      // Adjacent string literals concatenate, as in Python.
      let value = '';
      const start = t.span.start;
      while (this.cur.type === 'string') value += this.next().value;
      return { kind: 'Const', value: { type: 'str', value }, span: this.spanFrom(start) };
    }
    if (t.type === 'integer') {
      this.next();
      return { kind: 'Const', value: { type: 'int', value: Number(t.value) }, span: t.span };
    }
    if (t.type === 'float') {
      this.next();
      return { kind: 'Const', value: { type: 'float', value: Number(t.value) }, span: t.span };
    }
    if (this.isOp('(')) {
      const start = this.next().span.start;
      if (++this.depth > 400) this.fail('expression nests too deeply');
      try {
        const e = this.parseTuple({ explicitParens: true, start });
        this.expectOp(')');
        // Keep the parentheses in the span of a tuple; a parenthesised expression keeps its own.
        return e.kind === 'Tuple' ? { ...e, span: this.spanFrom(start) } : e;
      } finally {
        this.depth--;
      }
    }
    if (this.isOp('[')) return this.parseList();
    if (this.isOp('{')) return this.parseDict();
    if (t.type === 'variable_end' || t.type === 'block_end' || t.type === 'eof') this.fail(`Expected an expression, got '${describe(t)}'`);
    return this.fail(`unexpected '${describe(t)}'`);
  }

  private parseList(): A.ListExpr {
    const start = this.expectOp('[').span.start;
    const items: A.Expr[] = [];
    while (!this.isOp(']')) {
      if (items.length) this.expectOp(',');
      if (this.isOp(']')) break;
      items.push(this.parseExpression(true));
    }
    this.expectOp(']');
    return { kind: 'List', items, span: this.spanFrom(start) };
  }

  private parseDict(): A.DictExpr {
    const start = this.expectOp('{').span.start;
    const items: A.DictExpr['items'] = [];
    while (!this.isOp('}')) {
      if (items.length) this.expectOp(',');
      if (this.isOp('}')) break;
      const key = this.parseExpression(true);
      this.expectOp(':');
      items.push({ key, value: this.parseExpression(true) });
    }
    this.expectOp('}');
    return { kind: 'Dict', items, span: this.spanFrom(start) };
  }

  private parsePostfix(node: A.Expr, start: number): A.Expr {
    for (;;) {
      if (this.isOp('.') || this.isOp('[')) node = this.parseSubscript(node, start);
      else if (this.isOp('(')) node = this.parseCall(node, start);
      else return node;
    }
  }

  private parseFilterExpr(node: A.Expr, start: number): A.Expr {
    for (;;) {
      if (this.isOp('|')) node = this.parseFilters(node, start);
      else if (this.isName('is')) node = this.parseTest(node, start);
      else if (this.isOp('(')) node = this.parseCall(node, start);
      else return node;
    }
  }

  private parseSubscript(node: A.Expr, start: number): A.Expr {
    const t = this.next();
    if (t.value === '.') {
      const attr = this.cur;
      if (attr.type === 'name') {
        this.next();
        return { kind: 'GetAttr', object: node, attr: attr.value, attrSpan: attr.span, span: this.spanFrom(start) };
      }
      if (attr.type === 'integer') {
        this.next();
        return {
          kind: 'GetItem',
          object: node,
          key: { kind: 'Const', value: { type: 'int', value: Number(attr.value) }, span: attr.span },
          span: this.spanFrom(start),
        };
      }
      return this.fail('expected name or number', attr.span);
    }
    const args: A.Expr[] = [];
    const argStart = this.cur.span.start;
    while (!this.isOp(']')) {
      if (args.length) this.expectOp(',');
      if (this.isOp(']')) break;
      args.push(this.parseSubscribed());
    }
    this.expectOp(']');
    if (args.length === 1 && args[0]!.kind === 'Slice') {
      const s = args[0] as A.SliceExpr;
      return { ...s, object: node, span: this.spanFrom(start) };
    }
    const key: A.Expr = args.length === 1 ? args[0]! : { kind: 'Tuple', items: args, span: { start: argStart, end: this.tokens[this.i - 2]!.span.end } };
    return { kind: 'GetItem', object: node, key, span: this.spanFrom(start) };
  }

  private parseSubscribed(): A.Expr {
    const start = this.cur.span.start;
    const parts: (A.Expr | null)[] = [];
    if (this.isOp(':')) {
      this.next();
      parts.push(null);
    } else {
      const node = this.parseExpression(true);
      if (!this.isOp(':')) return node;
      this.next();
      parts.push(node);
    }
    if (this.isOp(':')) parts.push(null);
    else if (!this.isOp(']') && !this.isOp(',')) parts.push(this.parseExpression(true));
    else parts.push(null);
    if (this.isOp(':')) {
      this.next();
      if (!this.isOp(']') && !this.isOp(',')) parts.push(this.parseExpression(true));
      else parts.push(null);
    } else parts.push(null);
    const placeholder: A.Expr = { kind: 'ErrorExpr', span: { start, end: start } };
    return { kind: 'Slice', object: placeholder, start: parts[0] ?? null, stop: parts[1] ?? null, step: parts[2] ?? null, span: this.spanFrom(start) };
  }

  private parseCallArgs(): A.CallArgsExpr {
    this.expectOp('(');
    const args: A.Argument[] = [];
    let dynArgs: A.Expr | null = null;
    let dynKwargs: A.Expr | null = null;
    let requireComma = false;
    let sawKw = false;
    const ensure = (ok: boolean, at: Span) => {
      if (!ok) this.fail('Invalid syntax for function call expression', at);
    };
    while (!this.isOp(')')) {
      if (requireComma) {
        this.expectOp(',');
        if (this.isOp(')')) break;
      }
      const t = this.cur;
      if (this.isOp('*')) {
        ensure(dynArgs === null && dynKwargs === null, t.span);
        this.next();
        dynArgs = this.parseExpression(true);
      } else if (this.isOp('**')) {
        ensure(dynKwargs === null, t.span);
        this.next();
        dynKwargs = this.parseExpression(true);
      } else if (t.type === 'name' && this.isOp('=', this.look())) {
        ensure(dynKwargs === null, t.span);
        this.next();
        this.next();
        const value = this.parseExpression(true);
        args.push({ name: t.value, value, span: { start: t.span.start, end: value.span.end } });
        sawKw = true;
      } else {
        ensure(dynArgs === null && dynKwargs === null && !sawKw, t.span);
        const value = this.parseExpression(true);
        args.push({ name: null, value, span: value.span });
      }
      requireComma = true;
    }
    this.expectOp(')');
    return { args, dynArgs, dynKwargs };
  }

  private parseCall(node: A.Expr, start: number): A.CallExpr {
    const a = this.parseCallArgs();
    return { kind: 'Call', callee: node, ...a, span: this.spanFrom(start) };
  }

  private parseDottedName(): { name: string; span: Span } {
    const first = this.expectName();
    let name = first.value;
    while (this.isOp('.')) {
      this.next();
      name += '.' + this.expectName().value;
    }
    return { name, span: this.spanFrom(first.span.start) };
  }

  private parseFilterChain(startInline: boolean): A.FilterApplication[] {
    const out: A.FilterApplication[] = [];
    let inline = startInline;
    while (this.isOp('|') || inline) {
      const pipeStart = this.cur.span.start;
      if (!inline) this.next();
      inline = false;
      const { name, span: nameSpan } = this.parseDottedName();
      const a = this.isOp('(') ? this.parseCallArgs() : { args: [], dynArgs: null, dynKwargs: null };
      out.push({ name, nameSpan, ...a, span: this.spanFrom(pipeStart) });
    }
    return out;
  }

  private parseFilters(node: A.Expr, start: number): A.Expr {
    for (const f of this.parseFilterChain(false)) node = { kind: 'Filter', value: node, filter: f, span: { start, end: f.span.end } };
    return node;
  }

  private parseTest(node: A.Expr, start: number): A.Expr {
    this.next(); // 'is'
    const negated = !!this.skipName('not');
    const { name, span: nameSpan } = this.parseDottedName();
    let a: A.CallArgsExpr = { args: [], dynArgs: null, dynKwargs: null };
    const t = this.cur;
    if (this.isOp('(')) a = this.parseCallArgs();
    else if (
      (t.type === 'name' || t.type === 'string' || t.type === 'integer' || t.type === 'float' || this.isOp('[') || this.isOp('{')) &&
      !(t.type === 'name' && ['else', 'or', 'and'].includes(t.value))
    ) {
      if (this.isName('is')) this.fail('You cannot chain multiple tests with is');
      const argStart = this.cur.span.start;
      let arg = this.parsePrimary();
      arg = this.parsePostfix(arg, argStart);
      a = { args: [{ name: null, value: arg, span: arg.span }], dynArgs: null, dynKwargs: null };
    }
    return { kind: 'Test', value: node, name, nameSpan, negated, ...a, span: this.spanFrom(start) };
  }
}

function quoteList(names: string[]): string {
  const q = names.map(n => `'${n}'`);
  return q.length <= 1 ? q.join('') : `${q.slice(0, -1).join(', ')} or ${q[q.length - 1]}`;
}

/** JinjaSQL's extract_param_name: the leading name and '.' tokens, else 'bind#0'. */
function bindNameOf(tokens: Token[], from: number, to: number): string {
  let name = '';
  for (let k = from; k < to; k++) {
    const t = tokens[k]!;
    if (t.type === 'name') name += t.value;
    else if (t.type === 'operator' && t.value === '.') name += '.';
    else break;
  }
  return name || 'bind#0';
}
