/** The template spec's `parameters`: the caller arguments a template reads, typed from use. */
import type * as A from '../jinja/ast.js';
import type { ParseResult } from '../jinja/parse.js';
import { visit } from '../jinja/visit.js';
import { parse } from '../jinja/parse.js';
import { PyDict, PyFloat } from '../jinja/runtime/values.js';
import { freeVariables, inferShapes } from '../jinja/symbolic.js';
import { PROVIDED_VARIABLES } from '../provided.js';
import type { AliasMap } from './aliasMap.js';
import { renameArguments } from './rewrite.js';
import { jsonOf, jsonText } from './arguments.js';
import type { SpecParameter } from './specs.js';

/** Variables Snowflake provides: never spec parameters. */

/** The spec's parameters: the caller arguments the template reads, typed from its use. */
export function specParameters(t: { parsed: ParseResult; newBody: string; map: AliasMap; analyses: { arguments: PyDict }[] }): SpecParameter[] {
  if (t.parsed.errors.length) return [];
  const body = parse(t.newBody);
  const names = freeVariables(body.template);
  const shapes = inferShapes(body.template, names);
  const optionalNames = optionalArguments(body.template);
  const out: SpecParameter[] = [];
  for (const [name, shape] of shapes) {
    if (PROVIDED_VARIABLES.has(name) || shape === 'callable') continue;
    const example = t.analyses.map(a => a.arguments.get(name)).find(v => v !== undefined);
    let type: SpecParameter['type'] = shape === 'list' ? 'array' : shape === 'dict' ? 'object' : shape === 'number' ? 'number' : 'string';
    if (typeof example === 'number' && Number.isInteger(example)) type = 'integer';
    else if (example instanceof PyFloat) type = 'number';
    else if (typeof example === 'boolean') type = 'boolean';
    else if (Array.isArray(example)) type = 'array';
    else if (example instanceof PyDict) type = 'object';
    const optional = optionalNames.has(name);
    const shown = example === undefined ? '' : ` Example: ${jsonText(jsonOf(renameArguments(new PyDict([['x', example]]), t.map, new Set()).get('x')!))}`;
    out.push({ name, description: `Argument '${name}' of the legacy template.${shown}`.slice(0, 500), required: !optional, type });
  }
  return out;
}

/**
 * Arguments a template can do without: tested by `{% if x %}` / `{% if not x %}` (also
 * `elif`), given a `default`, or tested with `is defined`.
 */
function optionalArguments(template: A.TemplateNode): Set<string> {
  const out = new Set<string>();
  const nameOf = (e: A.Expr): string | null => {
    let x = e;
    while (x.kind === 'Unary' && x.op === 'not') x = x.operand;
    return x.kind === 'Name' ? x.name : null;
  };
  visit(template.body, n => {
    if (n.kind === 'If')
      for (const b of (n as unknown as A.IfNode).branches) {
        const name = nameOf(b.test);
        if (name) out.add(name);
      }
    else if (n.kind === 'Filter') {
      const f = n as unknown as A.FilterExpr;
      if (f.filter.name === 'default' || f.filter.name === 'd') {
        const name = nameOf(f.value);
        if (name) out.add(name);
      }
    } else if (n.kind === 'Test') {
      const t = n as unknown as A.TestExpr;
      if (t.name === 'defined' || t.name === 'undefined') {
        const name = nameOf(t.value);
        if (name) out.add(name);
      }
    }
  });
  return out;
}
