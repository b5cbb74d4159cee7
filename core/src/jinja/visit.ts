/**
 * The one walk over the Jinja syntax tree. Every node carries `kind`; filter applications
 * (which have none) are reported separately. Rules, editor features and symbolic renders
 * all visit through here, so a new node field is seen by all of them at once.
 */
import type * as A from './ast.js';

export type AnyNode = A.Stmt | A.Expr | A.Target | A.TemplateNode;

/** Fields that hold positions or raw tokens, never child nodes. */
const SKIP_KEYS = new Set(['span', 'nameSpan', 'tag', 'attrSpan', 'objectSpan', 'opSpan', 'lastToken']);

/**
 * Visits every node under `root` (a node, or an array of them such as a template body)
 * depth-first in source order. `parents` is the chain of ancestors, innermost last.
 */
export function visit(
  root: unknown,
  fn: (node: AnyNode, parents: readonly AnyNode[]) => void,
  onFilter?: (f: A.FilterApplication, parents: readonly AnyNode[]) => void,
): void {
  const parents: AnyNode[] = [];
  // Hot: every rule walks the tree. `for…in` over the plain AST objects and skipping
  // primitive fields before the call keep the walk allocation-free.
  const go = (n: object, key: string): void => {
    if (Array.isArray(n)) {
      for (let i = 0; i < n.length; i++) {
        const x: unknown = n[i];
        if (x !== null && typeof x === 'object') go(x, key);
      }
      return;
    }
    const o = n as Record<string, unknown>;
    const isNode = typeof o.kind === 'string';
    if (isNode) {
      fn(o as unknown as AnyNode, parents);
      parents.push(o as unknown as AnyNode);
    } else if ((key === 'filter' || key === 'filters') && typeof o.name === 'string' && o.nameSpan) onFilter?.(o as unknown as A.FilterApplication, parents);
    for (const k in o) {
      if (SKIP_KEYS.has(k)) continue;
      const v = o[k];
      if (v !== null && typeof v === 'object') go(v, k);
    }
    if (isNode) parents.pop();
  };
  if (root !== null && typeof root === 'object') go(root, 'root');
}
