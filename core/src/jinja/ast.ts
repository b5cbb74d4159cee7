/**
 * The Jinja syntax tree. Every node carries the exact [start, end) offsets of the template
 * text it was parsed from. Broken input still yields a tree: missing pieces become `Error`
 * nodes (expressions) or are simply absent, and the parser reports them separately.
 */
import type { Span } from '../text/span.js';

export interface Node {
  readonly span: Span;
}

// ---------------------------------------------------------------- statements

export type Stmt =
  | TextNode
  | OutputNode
  | IfNode
  | ForNode
  | SetNode
  | SetBlockNode
  | MacroNode
  | CallBlockNode
  | FilterBlockNode
  | WithNode
  | BlockNode
  | LoaderStmt
  | ErrorStmt;

export interface TemplateNode extends Node {
  kind: 'Template';
  body: Stmt[];
}

/** Literal template text, after whitespace control: `span` covers exactly `value`. */
export interface TextNode extends Node {
  kind: 'Text';
  value: string;
}

/** `{{ expr }}`. `span` runs from `{{` to `}}` inclusive. */
export interface OutputNode extends Node {
  kind: 'Output';
  expr: Expr;
  /** `{{ }}` with nothing inside (allowed only by JinjaSQL's token rewrite). */
  empty?: boolean;
  /**
   * The last token before `}}`, which decides JinjaSQL's automatic bind: no bind is added
   * when it is the name `bind`, `inclause` or `sqlsafe`.
   */
  lastToken: { type: TokenType; value: string; span: Span } | null;
  /** JinjaSQL's parameter name for the auto bind: leading names and dots, or 'bind#0'. */
  bindName: string;
}

/** A statement tag's own span (`{% ... %}`), kept for messages and symbols. */
export interface TagSpans {
  tag: Span;
}

export interface IfNode extends Node, TagSpans {
  kind: 'If';
  /** `if` and every `elif`, in order. */
  branches: { test: Expr; body: Stmt[]; tag: Span }[];
  else: Stmt[] | null;
}

export interface ForNode extends Node, TagSpans {
  kind: 'For';
  target: Target;
  iter: Expr;
  /** `{% for x in xs if cond %}` */
  filter: Expr | null;
  recursive: boolean;
  body: Stmt[];
  else: Stmt[] | null;
}

export interface SetNode extends Node, TagSpans {
  kind: 'Set';
  target: Target;
  value: Expr;
}

/** `{% set x | filter %}...{% endset %}` */
export interface SetBlockNode extends Node, TagSpans {
  kind: 'SetBlock';
  target: Target;
  filters: FilterApplication[];
  body: Stmt[];
}

export interface Param extends Node {
  name: string;
  default: Expr | null;
}

export interface MacroNode extends Node, TagSpans {
  kind: 'Macro';
  name: string;
  nameSpan: Span;
  params: Param[];
  body: Stmt[];
}

/** `{% call(args) macro(...) %}body{% endcall %}` */
export interface CallBlockNode extends Node, TagSpans {
  kind: 'CallBlock';
  call: CallExpr;
  params: Param[];
  body: Stmt[];
}

/** `{% filter upper | replace('a','b') %}body{% endfilter %}` */
export interface FilterBlockNode extends Node, TagSpans {
  kind: 'FilterBlock';
  filters: FilterApplication[];
  body: Stmt[];
}

export interface WithNode extends Node, TagSpans {
  kind: 'With';
  assignments: { target: Target; value: Expr }[];
  body: Stmt[];
}

/** `{% block name %}` renders in place in a single template. */
export interface BlockNode extends Node, TagSpans {
  kind: 'Block';
  name: string;
  body: Stmt[];
}

/**
 * `{% include %}`, `{% import %}`, `{% from %}`, `{% extends %}`: valid Jinja, but a clean
 * room template is one string rendered without a loader, so rendering fails (as in Jinja).
 */
export interface LoaderStmt extends Node, TagSpans {
  kind: 'Loader';
  tagName: 'include' | 'import' | 'from' | 'extends';
}

/** A tag that could not be parsed; the error is reported separately. */
export interface ErrorStmt extends Node {
  kind: 'ErrorStmt';
}

// ---------------------------------------------------------------- assignment targets

export type Target = NameTarget | TupleTarget | AttrTarget;

export interface NameTarget extends Node {
  kind: 'NameTarget';
  name: string;
}
export interface TupleTarget extends Node {
  kind: 'TupleTarget';
  items: Target[];
}
/** `{% set ns.attr = ... %}` (namespace assignment only) */
export interface AttrTarget extends Node {
  kind: 'AttrTarget';
  object: string;
  objectSpan: Span;
  attr: string;
}

// ---------------------------------------------------------------- expressions

export type Expr =
  | ConstExpr
  | NameExpr
  | ListExpr
  | TupleExpr
  | DictExpr
  | GetAttrExpr
  | GetItemExpr
  | SliceExpr
  | CallExpr
  | FilterExpr
  | TestExpr
  | UnaryExpr
  | BinaryExpr
  | CompareExpr
  | AndOrExpr
  | CondExpr
  | ConcatExpr
  | ErrorExpr;

export type ConstValue =
  { type: 'str'; value: string } | { type: 'int'; value: number } | { type: 'float'; value: number } | { type: 'bool'; value: boolean } | { type: 'none' };

export interface ConstExpr extends Node {
  kind: 'Const';
  value: ConstValue;
}
export interface NameExpr extends Node {
  kind: 'Name';
  name: string;
}
export interface ListExpr extends Node {
  kind: 'List';
  items: Expr[];
}
export interface TupleExpr extends Node {
  kind: 'Tuple';
  items: Expr[];
}
export interface DictExpr extends Node {
  kind: 'Dict';
  items: { key: Expr; value: Expr }[];
}
/** `obj.attr` (attribute first, then item, as Jinja's getattr). */
export interface GetAttrExpr extends Node {
  kind: 'GetAttr';
  object: Expr;
  attr: string;
  attrSpan: Span;
}
/** `obj[key]` (item first, then attribute, as Jinja's getitem). */
export interface GetItemExpr extends Node {
  kind: 'GetItem';
  object: Expr;
  key: Expr;
}
/** `obj[start:stop:step]` */
export interface SliceExpr extends Node {
  kind: 'Slice';
  object: Expr;
  start: Expr | null;
  stop: Expr | null;
  step: Expr | null;
}

export interface Argument {
  /** Keyword name for `f(x=1)`, null for positional. */
  name: string | null;
  value: Expr;
  span: Span;
}

export interface CallArgsExpr {
  args: Argument[];
  /** `*args` */
  dynArgs: Expr | null;
  /** `**kwargs` */
  dynKwargs: Expr | null;
}

export interface CallExpr extends Node, CallArgsExpr {
  kind: 'Call';
  callee: Expr;
}

/** One `| name(args)` application. */
export interface FilterApplication extends CallArgsExpr {
  name: string;
  /** The filter name token. */
  nameSpan: Span;
  /** From the `|` to the end of the arguments. */
  span: Span;
}

/** `value | f1 | f2(args)`: one node per filter, nested left to right. */
export interface FilterExpr extends Node {
  kind: 'Filter';
  value: Expr;
  filter: FilterApplication;
}

/** `value is [not] name args` */
export interface TestExpr extends Node, CallArgsExpr {
  kind: 'Test';
  value: Expr;
  name: string;
  nameSpan: Span;
  negated: boolean;
}

export interface UnaryExpr extends Node {
  kind: 'Unary';
  op: 'not' | '-' | '+';
  operand: Expr;
}

export type BinaryOp = '+' | '-' | '*' | '/' | '//' | '%' | '**';
export interface BinaryExpr extends Node {
  kind: 'Binary';
  op: BinaryOp;
  left: Expr;
  right: Expr;
  opSpan: Span;
}

export type CompareOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in';
/** Chained comparison `a < b < c`. */
export interface CompareExpr extends Node {
  kind: 'Compare';
  first: Expr;
  rest: { op: CompareOp; expr: Expr; opSpan: Span }[];
}

export interface AndOrExpr extends Node {
  kind: 'And' | 'Or';
  left: Expr;
  right: Expr;
}

/** `a if cond else b` (else optional: yields Undefined). */
export interface CondExpr extends Node {
  kind: 'Cond';
  test: Expr;
  then: Expr;
  else: Expr | null;
}

/** `a ~ b ~ c` */
export interface ConcatExpr extends Node {
  kind: 'Concat';
  items: Expr[];
}

/** A missing or unparsable expression; evaluates to an error. */
export interface ErrorExpr extends Node {
  kind: 'ErrorExpr';
}

// ---------------------------------------------------------------- tokens

export type TokenType =
  'data' | 'variable_begin' | 'variable_end' | 'block_begin' | 'block_end' | 'comment' | 'raw' | 'name' | 'string' | 'integer' | 'float' | 'operator' | 'eof';

export interface Token {
  type: TokenType;
  /** For strings: the decoded value. For everything else: the source text. */
  value: string;
  span: Span;
}
