/**
 * What happens to one caller argument in a symbolic render: which policy filters its
 * elements passed and where they landed in the SQL. One render per parsed template, cached
 * on the (immutable) parse, so hovering over several arguments renders once.
 */
import type { ParsedRegion } from '../analysis/model.js';
import { renderSymbolic, type SymbolicRender } from '../jinja/symbolic.js';
import type { Span } from '../text/span.js';
import { POLICY_FILTERS } from '../jinja/evaluate.js';

export interface ArgumentLanding {
  /** Argument element, e.g. `dimensions[1]`. */
  path: string;
  bound: boolean;
  /** Directly inside `IDENTIFIER(…)`. */
  inIdentifier: boolean;
  /** The nearest SQL clause keyword before it in the rendered output, if any. */
  clause: string | null;
  /** Template range of the `{{ … }}` that wrote it. */
  source: Span;
  /** Macro call sites it came through. */
  via: Span[];
}

export interface ArgumentCheck {
  filter: string;
  /** True when the value was raw SQL when checked. */
  raw: boolean;
  paths: string[];
  span: Span;
}

export type ArgumentFlow =
  | { status: 'disabled' }
  | { status: 'unrendered'; reason: string; span?: Span }
  | {
      status: 'rendered' | 'partial';
      /** Why the render stopped, when partial. */
      reason?: string;
      span?: Span;
      listLength: number;
      checks: ArgumentCheck[];
      landings: ArgumentLanding[];
    };

const POLICY: ReadonlySet<string> = new Set(POLICY_FILTERS);
const cache = new WeakMap<object, SymbolicRender | Error>();

export function symbolicRenderOf(template: ParsedRegion): SymbolicRender | Error {
  let hit = cache.get(template.parse);
  if (!hit) {
    try {
      // One render: symbolic.ts's first shape (every list at two elements) shows list
      // behaviour (separators, per-element checks) at the cost of a single render.
      hit = renderSymbolic(template.region.text, template.parse, { maxRenders: 1 }).renders[0]!;
    } catch (err) {
      hit = err instanceof Error ? err : new Error(String(err));
    }
    cache.set(template.parse, hit);
  }
  return hit;
}

const CLAUSE = /\b(SELECT|FROM|JOIN|ON|WHERE|GROUP\s+BY|ORDER\s+BY|HAVING|QUALIFY|LIMIT|USING)\b/gi;

export function argumentFlow(template: ParsedRegion, name: string, allowRender: boolean): ArgumentFlow {
  if (!allowRender) return { status: 'disabled' };
  if (template.parse.errors.length) {
    const first = template.parse.errors[0]!;
    return { status: 'unrendered', reason: `the template has syntax errors (${first.message})`, span: first.span };
  }
  const render = symbolicRenderOf(template);
  if (render instanceof Error) return { status: 'unrendered', reason: `the sample render failed internally (${render.message})` };
  const mine = (path: string) => path === name || path.startsWith(`${name}[`);
  const out = render.outcome.output ?? render.outcome.partial;

  const checks = new Map<string, ArgumentCheck>();
  for (const c of render.checks) {
    // The evaluator also records sqlsafe; only policy filters are checks.
    if (!mine(c.path) || !POLICY.has(c.filter)) continue;
    const key = `${c.filter}|${c.raw}|${c.span.start}`;
    const hit = checks.get(key);
    if (hit) {
      if (!hit.paths.includes(c.path)) hit.paths.push(c.path);
    } else checks.set(key, { filter: c.filter, raw: c.raw, paths: [c.path], span: c.span });
  }

  const landings: ArgumentLanding[] = [];
  for (const u of render.uses) {
    if (!mine(u.path)) continue;
    const seg = render.outcome.segments.find(s => s.start <= u.output.start && u.output.start < s.end);
    const before = out.slice(Math.max(0, (seg?.start ?? u.output.start) - 400), seg?.start ?? u.output.start);
    let clause: string | null = null;
    for (const m of before.matchAll(CLAUSE)) clause = m[1]!.toUpperCase().replace(/\s+/g, ' ');
    landings.push({
      path: u.path,
      bound: u.bound,
      inIdentifier: /IDENTIFIER\s*\(\s*$/i.test(before),
      clause,
      source: u.source,
      via: u.via,
    });
  }
  const error = render.outcome.error;
  return {
    status: error ? 'partial' : 'rendered',
    ...(error ? { reason: `${error.type}: ${error.message}` } : {}),
    ...(error?.span ? { span: error.span } : {}),
    listLength: render.listLength,
    checks: [...checks.values()],
    landings,
  };
}
