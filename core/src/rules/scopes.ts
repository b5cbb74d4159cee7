/**
 * DCR011: a variable set inside a loop (or macro, call, with, set/filter block) and read
 * after it. Jinja ends those scopes with the block, so the read sees Undefined: an empty
 * value in the SQL, with no error. namespace() is the way to carry values out of a loop.
 */
import type * as A from '../jinja/ast.js';
import type { Finding } from '../findings.js';
import { finding } from './finding.js';

interface ScopeInfo {
  /** Names assigned directly in this scope (not in nested ones). */
  assigned: Map<string, A.Node>;
  kind: string;
}

export function scopeRules(template: A.TemplateNode): Finding[] {
  const out: Finding[] = [];
  const reported = new Set<string>();
  /** Names assigned in scopes that have already ended, with the block that ended them. */
  const ended = new Map<string, { kind: string; at: A.Node }>();

  const targetNames = (t: A.Target): string[] => (t.kind === 'NameTarget' ? [t.name] : t.kind === 'TupleTarget' ? t.items.flatMap(targetNames) : []);

  const walkBody = (body: A.Stmt[], stack: ScopeInfo[]): void => {
    for (const s of body) walkStmt(s, stack);
  };
  const visible = (name: string, stack: ScopeInfo[]) => stack.some(sc => sc.assigned.has(name));
  const inner = (kind: string, stack: ScopeInfo[], names: string[] = []): ScopeInfo[] => {
    const sc: ScopeInfo = { assigned: new Map(), kind };
    for (const n of names) sc.assigned.set(n, { span: { start: 0, end: 0 } });
    return [...stack, sc];
  };
  const closeScope = (stack: ScopeInfo[]) => {
    const sc = stack[stack.length - 1]!;
    for (const [n, node] of sc.assigned) if (!ended.has(n)) ended.set(n, { kind: sc.kind, at: node });
  };

  const readExpr = (e: unknown, stack: ScopeInfo[]): void => {
    if (!e || typeof e !== 'object') return;
    if (Array.isArray(e)) return e.forEach(x => readExpr(x, stack));
    const o = e as { kind?: string; name?: string; span?: A.Node['span'] };
    if (o.kind === 'Name' && o.name) {
      const prior = ended.get(o.name);
      if (prior && !visible(o.name, stack) && !reported.has(o.name)) {
        reported.add(o.name);
        const what = prior.kind === 'for' ? 'loop' : prior.kind;
        out.push(
          finding(
            'DCR011',
            `'${o.name}' is set inside the ${what} above, and Jinja ends that scope with the block: here it is undefined and renders as nothing. Use namespace() to carry a value out.`,
            o.span!,
          ),
        );
      }
      return;
    }
    for (const k of Object.keys(o)) if (k !== 'span') readExpr((o as Record<string, unknown>)[k], stack);
  };

  const walkStmt = (s: A.Stmt, stack: ScopeInfo[]): void => {
    const here = stack[stack.length - 1]!;
    switch (s.kind) {
      case 'Output':
        return readExpr(s.expr, stack);
      case 'If':
        for (const b of s.branches) {
          readExpr(b.test, stack);
          walkBody(b.body, stack);
        }
        if (s.else) walkBody(s.else, stack);
        return;
      case 'For': {
        readExpr(s.iter, stack);
        const sc = inner('for', stack, [...targetNames(s.target), 'loop']);
        if (s.filter) readExpr(s.filter, sc);
        walkBody(s.body, sc);
        sc[sc.length - 1]!.assigned.delete('loop');
        for (const n of targetNames(s.target)) sc[sc.length - 1]!.assigned.delete(n);
        closeScope(sc);
        if (s.else) walkBody(s.else, stack);
        return;
      }
      case 'Set':
        readExpr(s.value, stack);
        for (const n of targetNames(s.target)) {
          here.assigned.set(n, s);
          ended.delete(n);
        }
        return;
      case 'SetBlock': {
        const sc = inner('set block', stack);
        walkBody(s.body, sc);
        closeScope(sc);
        for (const n of targetNames(s.target)) {
          here.assigned.set(n, s);
          ended.delete(n);
        }
        return;
      }
      case 'Macro': {
        here.assigned.set(s.name, s);
        const sc = inner('macro', stack, [...s.params.map(p => p.name), 'caller', 'varargs', 'kwargs']);
        walkBody(s.body, sc);
        return;
      }
      case 'CallBlock': {
        readExpr(s.call, stack);
        const sc = inner(
          'call block',
          stack,
          s.params.map(p => p.name),
        );
        walkBody(s.body, sc);
        return;
      }
      case 'FilterBlock':
      case 'Block': {
        const sc = inner(s.kind === 'Block' ? 'block' : 'filter block', stack);
        walkBody(s.body, sc);
        closeScope(sc);
        return;
      }
      case 'With': {
        for (const a of s.assignments) readExpr(a.value, stack);
        const sc = inner(
          'with block',
          stack,
          s.assignments.flatMap(a => targetNames(a.target)),
        );
        walkBody(s.body, sc);
        return;
      }
      default:
        return;
    }
  };
  walkBody(template.body, [{ assigned: new Map(), kind: 'template' }]);
  return out;
}
