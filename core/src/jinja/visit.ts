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
  const go = (n: unknown, key: string): void => {
    if (!n || typeof n !== 'object') return;
    if (Array.isArray(n)) {
      for (const x of n) go(x, key);
      return;
    }
    const o = n as Record<string, unknown>;
    const isNode = typeof o.kind === 'string';
    if (isNode) fn(o as unknown as AnyNode, parents);
    else if ((key === 'filter' || key === 'filters') && typeof o.name === 'string' && o.nameSpan) onFilter?.(o as unknown as A.FilterApplication, parents);
    if (isNode) parents.push(o as unknown as AnyNode);
    for (const k of Object.keys(o)) if (!SKIP_KEYS.has(k)) go(o[k], k);
    if (isNode) parents.pop();
  };
  go(root, 'root');
}
