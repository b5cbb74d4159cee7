/**
 * Name rules for both API generations and the Collaboration template spec (YAML).
 * Spans here are host-document offsets.
 */
import { parseDocument as parseYaml, isMap, isScalar, isSeq, type Pair, type Node as YamlNode } from 'yaml';
import type { Finding } from '../findings.js';
import type { Span } from '../text/span.js';
import type { TemplateRegion } from '../sources/regions.js';
import type { Api } from '../settings.js';
import { finding } from './finding.js';
import { PROVIDED_VARIABLES } from '../provided.js';

const LEGACY_TEMPLATE_NAME = /^[a-z0-9_]+$/;
const COLLAB_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,74}$/;
const COLLAB_VERSION = /^[A-Za-z0-9_]{1,20}$/;
const CLEANROOM_NAME = /^[A-Za-z0-9_ ]{1,80}$/;
const PARAM_TYPES = new Set(['string', 'integer', 'number', 'boolean', 'array', 'object']);
/** Variables Snowflake provides: never declared as spec parameters. */

export function worksheetNameRules(region: TemplateRegion, api: Api): Finding[] {
  const out: Finding[] = [];
  const { templateName, templateNameSpan, cleanroom, cleanroomSpan } = region.meta;
  if (templateName !== undefined && templateNameSpan) {
    if (!LEGACY_TEMPLATE_NAME.test(templateName)) {
      out.push(
        finding(
          'DCR401',
          `Template name '${templateName}' is not valid: legacy clean room template names use only lowercase letters, digits and underscores.`,
          templateNameSpan,
        ),
      );
    } else if (creates(region.text, /cleanroom\.(activation_data_\w*|temp_result_data)/i) && !templateName.startsWith('activation')) {
      out.push(
        finding(
          'DCR402',
          `This template creates an activation table, so its name must start with 'activation_' (e.g. 'activation_${templateName}').`,
          templateNameSpan,
        ),
      );
    }
  }
  if (cleanroom !== undefined && cleanroomSpan && !CLEANROOM_NAME.test(cleanroom)) {
    out.push(finding('DCR403', `Clean room name '${cleanroom}' is not valid: use at most 80 letters, digits, underscores and spaces.`, cleanroomSpan));
  }
  void api;
  return out;
}

function creates(text: string, table: RegExp): boolean {
  return new RegExp(`create\\s+(or\\s+replace\\s+)?(temporary\\s+|temp\\s+)?table\\s+(if\\s+not\\s+exists\\s+)?${table.source}`, 'i').test(text);
}

const rangeOf = (n: YamlNode | null | undefined): Span | null => (n && n.range ? { start: n.range[0], end: n.range[1] } : null);

/** Field checks of a Collaboration template spec, and parameters vs the variables the body reads. */
/** `variables` is null when the template could not be parsed (usage is then unknown). */
export function specRules(text: string, variables: { name: string; span: Span }[] | null, presets: PresetReference[] | null = null): Finding[] {
  let doc;
  try {
    doc = parseYaml(text, { strict: false });
  } catch {
    return [];
  }
  const root = doc.contents;
  if (!isMap(root)) return [];
  const out: Finding[] = [];
  const whole: Span = { start: 0, end: Math.min(text.length, text.indexOf('\n') < 0 ? text.length : text.indexOf('\n')) };
  const field = (key: string): Pair | undefined => root.items.find(p => isScalar(p.key) && p.key.value === key) as Pair | undefined;
  const scalar = (key: string) => {
    const p = field(key);
    return p && isScalar(p.value) ? { value: p.value.value, span: rangeOf(p.value as YamlNode)! } : null;
  };
  const bad = (key: string, message: string) => {
    const p = field(key);
    out.push(finding('DCR404', message, rangeOf(p?.value as YamlNode) ?? rangeOf(p?.key as YamlNode) ?? whole));
  };
  const required = ['api_version', 'spec_type', 'name', 'version', 'type', 'template'];
  for (const k of required) if (!field(k)) out.push(finding('DCR404', `The template spec has no '${k}' field; REGISTER_TEMPLATE rejects it.`, whole));
  const api = scalar('api_version');
  if (api && String(api.value) !== '2.0.0') bad('api_version', `api_version must be 2.0.0, not '${String(api.value)}'.`);
  const name = scalar('name');
  if (name && !COLLAB_NAME.test(String(name.value))) {
    out.push(
      finding('DCR401', `Template name '${String(name.value)}' is not valid: a Snowflake identifier of at most 75 letters, digits and underscores.`, name.span),
    );
  }
  const version = scalar('version');
  if (version && !COLLAB_VERSION.test(String(version.value)))
    bad('version', `Version '${String(version.value)}' is not valid: at most 20 letters, digits and underscores.`);
  const type = scalar('type');
  if (type && !['sql_analysis', 'sql_activation'].includes(String(type.value)))
    bad('type', `type must be sql_analysis or sql_activation, not '${String(type.value)}'.`);
  for (const k of ['description', 'methodology']) {
    const v = scalar(k);
    if (v && String(v.value).length > 1000) bad(k, `${k} is ${String(v.value).length} characters long; the limit is 1000.`);
  }
  const params = field('parameters');
  const declared = new Map<string, Span>();
  if (params && isSeq(params.value)) {
    for (const item of params.value.items) {
      if (!isMap(item)) continue;
      const get = (k: string) => item.items.find(p => isScalar(p.key) && p.key.value === k) as Pair | undefined;
      const n = get('name');
      const nameText = n && isScalar(n.value) ? String(n.value.value) : undefined;
      const nSpan = rangeOf(n?.value as YamlNode) ?? rangeOf(item as YamlNode)!;
      if (!nameText) out.push(finding('DCR404', 'A parameter has no name.', rangeOf(item as YamlNode)!));
      else declared.set(nameText, nSpan);
      const t = get('type');
      if (t && isScalar(t.value) && !PARAM_TYPES.has(String(t.value.value))) {
        out.push(
          finding(
            'DCR404',
            `Parameter type '${String(t.value.value)}' is not one of string, integer, number, boolean, array, object.`,
            rangeOf(t.value as YamlNode)!,
          ),
        );
      }
      const d = get('description');
      if (d && isScalar(d.value) && String(d.value.value).length > 500)
        out.push(finding('DCR404', 'A parameter description is limited to 500 characters.', rangeOf(d.value as YamlNode)!));
    }
  }
  out.push(...presetRules(field('preset_tables'), declared, variables, presets));
  if (!variables) return out;
  const used = new Set(variables.map(v => v.name));
  // RUN fills source_table from view_mappings.source_tables (my_table from local_view_mappings.my_tables),
  // so a parameter documenting those inputs is used when the template reads the table list.
  if (used.has('source_table')) used.add('source_tables');
  if (used.has('my_table')) used.add('my_tables');
  for (const [n, span] of declared) {
    if (!used.has(n)) out.push(finding('DCR405', `Parameter '${n}' is declared but the template never uses it.`, span));
  }
  if (params) {
    const reported = new Set<string>();
    for (const v of variables) {
      // A preset alias read as a variable is DCR408's mistake: one mistake, one code.
      if (declared.has(v.name) || PROVIDED_VARIABLES.has(v.name) || reported.has(v.name) || presetAliases(field('preset_tables')).has(v.name)) continue;
      reported.add(v.name);
      out.push(finding('DCR406', `'${v.name}' is read by the template but not declared in parameters, so VIEW_TEMPLATES does not document it.`, v.span));
    }
  }
  return out;
}

/**
 * `preset_tables` (Collaboration, preview): what REGISTER_TEMPLATE and RUN certainly reject.
 * Undeclared aliases fail registration (SpecValidationError: "Template references undeclared
 * preset_tables alias(s)"), and so does a preset table given a p/c alias in the SQL ("preset_tables
 * reference(s) use reserved SQL alias(es)"); a preset alias read as a Jinja variable fails the run
 * (PresetTableUnsupportedReferenceError); `preset_tables` is a reserved RUN argument, so a
 * parameter of that name can never be passed.
 */
function presetAliases(field: Pair | undefined): Set<string> {
  const out = new Set<string>();
  if (field && isSeq(field.value)) {
    for (const item of field.value.items) {
      const alias = isMap(item) ? (item.items.find(p => isScalar(p.key) && p.key.value === 'alias') as Pair | undefined) : undefined;
      if (alias && isScalar(alias.value)) out.add(String(alias.value.value));
    }
  }
  return out;
}

/** A `preset_tables.<name>` read in the template, and the SQL alias given to the table there. */
export interface PresetReference {
  name: string;
  span: Span;
  sqlAlias?: { name: string; span: Span };
}

function presetRules(
  field: Pair | undefined,
  declaredParams: Map<string, Span>,
  variables: { name: string; span: Span }[] | null,
  presets: PresetReference[] | null,
): Finding[] {
  const out: Finding[] = [];
  const aliases = new Map<string, Span>();
  if (field && isSeq(field.value)) {
    for (const item of field.value.items) {
      if (!isMap(item)) continue;
      const get = (k: string) => item.items.find(p => isScalar(p.key) && p.key.value === k) as Pair | undefined;
      const alias = get('alias');
      if (alias && isScalar(alias.value)) aliases.set(String(alias.value.value), rangeOf(alias.value as YamlNode)!);
      const missing = ['alias', 'template_view_name'].filter(k => !get(k));
      if (missing.length)
        out.push(finding('DCR404', `A preset_tables entry has no ${missing.join(' and no ')}; REGISTER_TEMPLATE rejects it.`, rangeOf(item as YamlNode)!));
    }
  }
  const param = declaredParams.get('preset_tables');
  if (param)
    out.push(
      finding(
        'DCR408',
        "'preset_tables' is reserved: RUN rejects it as an argument, so this parameter can never be passed. Declare the tables under preset_tables: instead.",
        param,
      ),
    );
  if (presets) {
    const reported = new Set<string>();
    for (const ref of presets) {
      // p, c, pN, cN tell Snowflake whose policies apply; a pinned table may not take them.
      if (ref.sqlAlias && /^[pc]\d*$/i.test(ref.sqlAlias.name)) {
        out.push(
          finding(
            'DCR408',
            `The preset table ${ref.name} is aliased '${ref.sqlAlias.name}': p, c, pN and cN are reserved for source_table and my_table, so REGISTER_TEMPLATE rejects the spec (preset_tables reference uses a reserved SQL alias). Use another alias.`,
            ref.sqlAlias.span,
          ),
        );
      }
      if (aliases.has(ref.name) || reported.has(ref.name)) continue;
      reported.add(ref.name);
      const known = aliases.size ? ` (declared: ${[...aliases.keys()].join(', ')})` : ' (the spec declares no preset_tables)';
      out.push(
        finding(
          'DCR408',
          `preset_tables.${ref.name} is not declared in the spec's preset_tables${known}: REGISTER_TEMPLATE rejects the spec (undeclared preset_tables alias).`,
          ref.span,
        ),
      );
    }
  }
  if (variables) {
    const reported = new Set<string>();
    for (const v of variables) {
      if (!aliases.has(v.name) || reported.has(v.name)) continue;
      reported.add(v.name);
      out.push(
        finding(
          'DCR408',
          `'${v.name}' is a preset table alias: it cannot be used as a Jinja variable (Snowflake fails the run with PresetTableUnsupportedReferenceError). Write {{ preset_tables.${v.name} }}.`,
          v.span,
        ),
      );
    }
  }
  return out;
}
