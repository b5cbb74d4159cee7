/**
 * The Collaboration API specs as YAML, in the shapes of Snowflake's schema reference
 * (docs.snowflake.com/en/user-guide/cleanrooms/spec-template, spec-data-offering,
 * spec-collaboration). The template body is written as a literal block scalar so its text
 * survives byte for byte (checked by reading the YAML back).
 */
import { Document, isMap, isScalar, parse as parseYaml, parseDocument as parseYamlDocument, Scalar } from 'yaml';
import { COLLAB_NAME, COLLAB_VERSION } from './names.js';

export interface SpecParameter {
  name: string;
  description: string;
  required: boolean;
  type: 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'object';
}

export interface TemplateSpec {
  name: string;
  version: string;
  type: 'sql_analysis' | 'sql_activation';
  description: string;
  parameters: SpecParameter[];
  template: string;
}

export interface OfferingColumn {
  category: 'join_custom' | 'passthrough';
  activation_allowed?: boolean;
}

export interface OfferingDataset {
  alias: string;
  data_object_fqn: string;
  columns: Map<string, OfferingColumn>;
}

export interface DataOfferingSpec {
  name: string;
  version: string;
  description: string;
  datasets: OfferingDataset[];
}

export interface CollaborationSpec {
  name: string;
  version: string;
  description: string;
  owner: string;
  collaborators: Map<string, string>;
  runners: Map<string, { providers: Map<string, string[]>; templates: string[]; activationTo: string[] }>;
}

const OPTIONS = { lineWidth: 0 } as const;

export function templateSpecYaml(s: TemplateSpec): string {
  const doc = new Document({
    api_version: '2.0.0',
    spec_type: 'template',
    name: s.name,
    version: s.version,
    type: s.type,
    description: s.description,
    ...(s.parameters.length ? { parameters: s.parameters.map(p => ({ name: p.name, description: p.description, required: p.required, type: p.type })) } : {}),
    template: s.template,
  });
  const body = doc.get('template', true) as Scalar;
  body.type = Scalar.BLOCK_LITERAL;
  return doc.toString(OPTIONS);
}

/** The template body as a YAML reader gets it back; null when the YAML does not hold it. */
export function templateOfSpec(yaml: string): string | null {
  try {
    const v = parseYaml(yaml) as { template?: unknown };
    return typeof v?.template === 'string' ? v.template : null;
  } catch {
    return null;
  }
}

export function dataOfferingYaml(s: DataOfferingSpec): string {
  return new Document({
    api_version: '2.0.0',
    spec_type: 'data_offering',
    name: s.name,
    version: s.version,
    description: s.description,
    datasets: s.datasets.map(d => ({
      alias: d.alias,
      data_object_fqn: d.data_object_fqn,
      allowed_analyses: 'template_only',
      schema_and_template_policies: Object.fromEntries(
        [...d.columns].map(([c, p]) => [c, { category: p.category, ...(p.activation_allowed ? { activation_allowed: true } : {}) }]),
      ),
    })),
  }).toString(OPTIONS);
}

export function collaborationYaml(s: CollaborationSpec): string {
  const runners: Record<string, unknown> = {};
  for (const [alias, r] of s.runners) {
    runners[alias] = {
      data_providers: Object.fromEntries([...r.providers].map(([p, ids]) => [p, { data_offerings: ids.map(id => ({ id })) }])),
      ...(r.templates.length ? { templates: r.templates.map(id => ({ id })) } : {}),
      ...(r.activationTo.length ? { activation_destinations: { snowflake_collaborators: r.activationTo } } : {}),
    };
  }
  return new Document({
    api_version: '2.0.0',
    spec_type: 'collaboration',
    name: s.name,
    version: s.version,
    description: s.description,
    owner: s.owner,
    collaborator_identifier_aliases: Object.fromEntries(s.collaborators),
    analysis_runners: runners,
  }).toString(OPTIONS);
}

/**
 * Field checks of a data offering or collaboration spec (the template spec has the engine's
 * own checks): required fields, name and version rules, categories, and that every alias a
 * collaboration names is declared. Returns one message per problem.
 */
export function checkSpec(yaml: string): string[] {
  let doc;
  try {
    doc = parseYaml(yaml) as Record<string, unknown>;
  } catch (e) {
    return [`not valid YAML: ${(e as Error).message.split('\n')[0]}`];
  }
  const out: string[] = [];
  if (!doc || typeof doc !== 'object') return ['not a YAML mapping'];
  const need = (k: string) => {
    if (doc[k] === undefined) out.push(`'${k}' is required`);
  };
  need('api_version');
  need('spec_type');
  need('name');
  if (String(doc.api_version) !== '2.0.0') out.push(`api_version must be 2.0.0`);
  if (typeof doc.name === 'string' && !COLLAB_NAME.test(doc.name)) out.push(`name '${doc.name}' is not an identifier of at most 75 characters`);
  if (doc.version !== undefined && !COLLAB_VERSION.test(String(doc.version))) out.push(`version '${String(doc.version)}' is not valid`);
  if (typeof doc.description === 'string' && doc.description.length > 1000) out.push('description is longer than 1000 characters');
  if (doc.spec_type === 'data_offering') {
    need('version');
    const ds = doc.datasets;
    if (!Array.isArray(ds) || !ds.length) out.push("'datasets' must list one or more datasets");
    for (const d of Array.isArray(ds) ? (ds as Record<string, unknown>[]) : []) {
      if (!d.alias || !d.data_object_fqn || !d.allowed_analyses) out.push('a dataset needs alias, data_object_fqn and allowed_analyses');
      const pol = d.schema_and_template_policies as Record<string, Record<string, unknown>> | undefined;
      if (!pol || typeof pol !== 'object' || !Object.keys(pol).length)
        out.push(`dataset '${String(d.alias)}' needs schema_and_template_policies with one or more columns`);
      for (const [c, p] of Object.entries(pol ?? {})) {
        if (!['join_standard', 'join_custom', 'timestamp', 'passthrough', 'event_type'].includes(String(p?.category)))
          out.push(`column ${c} has no valid category`);
        if (p?.category === 'join_standard' && !p.column_type) out.push(`column ${c}: join_standard needs column_type`);
      }
    }
  } else if (doc.spec_type === 'collaboration') {
    need('owner');
    need('collaborator_identifier_aliases');
    need('analysis_runners');
    const aliases = new Set(Object.keys((doc.collaborator_identifier_aliases as object) ?? {}));
    if (typeof doc.owner === 'string' && !aliases.has(doc.owner)) out.push(`owner '${doc.owner}' is not in collaborator_identifier_aliases`);
    for (const [runner, r] of Object.entries((doc.analysis_runners as Record<string, Record<string, unknown>>) ?? {})) {
      if (!aliases.has(runner)) out.push(`analysis runner '${runner}' is not in collaborator_identifier_aliases`);
      const providers = r?.data_providers as Record<string, { data_offerings?: unknown }> | undefined;
      if (!providers || typeof providers !== 'object') out.push(`analysis runner '${runner}' needs data_providers`);
      for (const [p, v] of Object.entries(providers ?? {})) {
        if (!aliases.has(p)) out.push(`data provider '${p}' is not in collaborator_identifier_aliases`);
        if (!Array.isArray(v?.data_offerings)) out.push(`data provider '${p}' needs data_offerings (a list, may be empty)`);
      }
    }
  } else out.push(`spec_type '${String(doc.spec_type)}' is not data_offering or collaboration`);
  return out;
}

/** True when `yaml` is a mapping whose `template` is a literal block. */
export function templateIsLiteralBlock(yaml: string): boolean {
  try {
    const root = parseYamlDocument(yaml).contents;
    if (!isMap(root)) return false;
    const pair = root.items.find(p => isScalar(p.key) && p.key.value === 'template');
    return !!pair && isScalar(pair.value) && pair.value.type === Scalar.BLOCK_LITERAL;
  } catch {
    return false;
  }
}
