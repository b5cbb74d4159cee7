/**
 * Which names a template declares, where, and which declaration each read refers to.
 * Follows Jinja's scoping closely enough for navigation: the template, macro bodies, `for`
 * bodies, `with` and `call` blocks are scopes; `if` is not. A `{% set %}` inside a loop body
 * is local to that body, which is exactly the surprise DCR011 reports.
 */
import type * as A from '../jinja/ast.js';
import type { Span } from '../text/span.js';

export type DeclKind = 'set' | 'macro' | 'param' | 'loop' | 'with';

export interface Decl {
  name: string;
  kind: DeclKind;
  /** The name itself, in template offsets. */
  span: Span;
  scope: Scope;
  /** The declaring node (the macro, the for, the set…), for symbols and hovers. */
  node: A.Stmt;
}

export interface Scope {
  kind: 'template' | 'macro' | 'for' | 'with' | 'call';
  /** Template range where names declared here are visible. */
  span: Span;
  parent: Scope | null;
  decls: Decl[];
  children: Scope[];
}

export interface NameRef {
  name: string;
  span: Span;
  scope: Scope;
}

export interface ScopeInfo {
  root: Scope;
  decls: Decl[];
  reads: NameRef[];
}

const cache = new WeakMap<A.TemplateNode, ScopeInfo>();

export function scopesOf(template: A.TemplateNode): ScopeInfo {
  let info = cache.get(template);
  if (!info) {
    info = build(template);
    cache.set(template, info);
  }
  return info;
}

function build(template: A.TemplateNode): ScopeInfo {
  const root: Scope = { kind: 'template', span: template.span, parent: null, decls: [], children: [] };
  const decls: Decl[] = [];
  const reads: NameRef[] = [];

  const child = (parent: Scope, kind: Scope['kind'], span: Span): Scope => {
    const s: Scope = { kind, span, parent, decls: [], children: [] };
    parent.children.push(s);
    return s;
  };
  const declare = (scope: Scope, name: string, kind: DeclKind, span: Span, node: A.Stmt) => {
    const d: Decl = { name, kind, span, scope, node };
    scope.decls.push(d);
    decls.push(d);
  };
  const declareTarget = (scope: Scope, t: A.Target, kind: DeclKind, node: A.Stmt): void => {
    if (t.kind === 'NameTarget') declare(scope, t.name, kind, t.span, node);
    else if (t.kind === 'TupleTarget') t.items.forEach(i => declareTarget(scope, i, kind, node));
    // `{% set ns.x = … %}` assigns into an existing namespace: it reads `ns`.
    else reads.push({ name: t.object, span: t.objectSpan, scope });
  };

  const expr = (e: unknown, scope: Scope): void => {
    if (!e || typeof e !== 'object') return;
    if (Array.isArray(e)) {
      for (const x of e) expr(x, scope);
      return;
    }
    const o = e as Record<string, unknown>;
    if (o.kind === 'Name') {
      const n = o as unknown as A.NameExpr;
      reads.push({ name: n.name, span: n.span, scope });
      return;
    }
    for (const k of Object.keys(o)) if (k !== 'span' && k !== 'nameSpan' && k !== 'attrSpan') expr(o[k], scope);
  };
  const params = (ps: A.Param[], scope: Scope, node: A.Stmt) => {
    for (const p of ps) {
      declare(scope, p.name, 'param', { start: p.span.start, end: p.span.start + p.name.length }, node);
      expr(p.default, scope);
    }
  };

  const stmts = (body: A.Stmt[] | null, scope: Scope): void => {
    for (const s of body ?? []) stmt(s, scope);
  };
  const stmt = (s: A.Stmt, scope: Scope): void => {
    switch (s.kind) {
      case 'Output':
        expr(s.expr, scope);
        break;
      case 'If':
        for (const b of s.branches) {
          expr(b.test, scope);
          stmts(b.body, scope);
        }
        stmts(s.else, scope);
        break;
      case 'For': {
        expr(s.iter, scope);
        const end = s.else?.[0]?.span.start ?? s.span.end;
        const inner = child(scope, 'for', { start: s.target.span.start, end });
        declareTarget(inner, s.target, 'loop', s);
        expr(s.filter, inner);
        stmts(s.body, inner);
        stmts(s.else, scope);
        break;
      }
      case 'Set':
        expr(s.value, scope);
        declareTarget(scope, s.target, 'set', s);
        break;
      case 'SetBlock':
        declareTarget(scope, s.target, 'set', s);
        for (const f of s.filters) expr(f, scope);
        stmts(s.body, scope);
        break;
      case 'Macro': {
        declare(scope, s.name, 'macro', s.nameSpan, s);
        const inner = child(scope, 'macro', { start: s.nameSpan.end, end: s.span.end });
        params(s.params, inner, s);
        stmts(s.body, inner);
        break;
      }
      case 'CallBlock': {
        expr(s.call, scope);
        const inner = child(scope, 'call', { start: s.tag.start, end: s.span.end });
        params(s.params, inner, s);
        stmts(s.body, inner);
        break;
      }
      case 'FilterBlock':
        for (const f of s.filters) expr(f, scope);
        stmts(s.body, scope);
        break;
      case 'With': {
        const inner = child(scope, 'with', { start: s.tag.start, end: s.span.end });
        for (const a of s.assignments) {
          expr(a.value, scope);
          declareTarget(inner, a.target, 'with', s);
        }
        stmts(s.body, inner);
        break;
      }
      case 'Block':
        stmts(s.body, scope);
        break;
      default:
        break;
    }
  };
  stmts(template.body, root);
  return { root, decls, reads };
}

/** The innermost scope whose range holds `offset`. */
export function scopeAt(info: ScopeInfo, offset: number): Scope {
  let s = info.root;
  for (;;) {
    const next = s.children.find(c => offset >= c.span.start && offset <= c.span.end);
    if (!next) return s;
    s = next;
  }
}

/** The scope that owns `name` as seen from `scope`, and its declarations there. */
export function resolve(name: string, scope: Scope): Decl[] {
  for (let s: Scope | null = scope; s; s = s.parent) {
    const here = s.decls.filter(d => d.name === name);
    if (here.length) return here;
  }
  return [];
}

/** Every declaration visible from `scope`, innermost first, one per name. */
export function visibleDecls(scope: Scope): Decl[] {
  const seen = new Set<string>();
  const out: Decl[] = [];
  for (let s: Scope | null = scope; s; s = s.parent) {
    for (const d of s.decls) {
      if (seen.has(d.name)) continue;
      seen.add(d.name);
      out.push(d);
    }
  }
  return out;
}

/** The innermost `for` scope around `scope`, whose `loop` a read would see. */
export function enclosingLoop(scope: Scope): Scope | null {
  for (let s: Scope | null = scope; s; s = s.parent) {
    if (s.kind === 'for') return s;
    // A macro body does not see the caller's loop.
    if (s.kind === 'macro') return null;
  }
  return null;
}
