/** The template spec's `parameters`: the caller arguments a template reads, typed from use. */
import type { ParseResult } from '../jinja/parse.js';
import { parse } from '../jinja/parse.js';
import { PyDict, PyFloat } from '../jinja/runtime/values.js';
import { freeVariables, inferShapes } from '../jinja/symbolic.js';
import type { AliasMap } from './aliasMap.js';
import { renameArguments } from './rewrite.js';
import { jsonOf, jsonText } from './arguments.js';
import type { SpecParameter } from './specs.js';

/** Variables Snowflake provides: never spec parameters. */
const PROVIDED = new Set(['source_table', 'my_table', 'privacy', 'preset_tables']);

/** The spec's parameters: the caller arguments the template reads, typed from its use. */
export function specParameters(t: { parsed: ParseResult; newBody: string; map: AliasMap; analyses: { arguments: PyDict }[] }): SpecParameter[] {
  if (t.parsed.errors.length) return [];
  const body = parse(t.newBody);
  const names = freeVariables(body.template);
  const shapes = inferShapes(body.template, names);
  const out: SpecParameter[] = [];
  for (const [name, shape] of shapes) {
    if (PROVIDED.has(name) || shape === 'callable') continue;
    const example = t.analyses.map(a => a.arguments.get(name)).find(v => v !== undefined);
    let type: SpecParameter['type'] = shape === 'list' ? 'array' : shape === 'dict' ? 'object' : shape === 'number' ? 'number' : 'string';
    if (typeof example === 'number' && Number.isInteger(example)) type = 'integer';
    else if (example instanceof PyFloat) type = 'number';
    else if (typeof example === 'boolean') type = 'boolean';
    else if (Array.isArray(example)) type = 'array';
    else if (example instanceof PyDict) type = 'object';
    const optional = new RegExp(`(\\{%-?\\s*(el)?if\\s+(not\\s+)?${name}\\b)|(\\b${name}\\s*\\|\\s*default\\b)|(\\b${name}\\s+is\\s+(not\\s+)?defined\\b)`).test(t.newBody);
    const shown = example === undefined ? '' : ` Example: ${jsonText(jsonOf(renameArguments(new PyDict([['x', example]]), t.map, new Set()).get('x')!))}`;
    out.push({ name, description: `Argument '${name}' of the legacy template.${shown}`.slice(0, 500), required: !optional, type });
  }
  return out;
}
