/**
 * One template on its own (the editor's "Migrate to Collaboration API spec", and templates
 * with no analysis): the alias map comes from the engine's sample renders, and the check
 * renders the legacy and the migrated template with the same sample arguments (aliases
 * renamed in the values) and compares them apart from the renaming.
 */
import { parse } from '../jinja/parse.js';
import { renderString } from '../jinja/index.js';
import { PyDict, type PyValue } from '../jinja/runtime/values.js';
import { freeVariables, inferShapes, listShapes } from '../jinja/symbolic.js';
import { templateKind } from '../rules/sqlChecks.js';
import { aliasDefOffsets, aliasesOfRender, emptyEvidence, type AliasMap } from './aliasMap.js';
import { applyEdits, lineEnds, normalizeLegacySql, renameArguments, templateEdits } from './rewrite.js';
import { lineDiff } from './diff.js';
import { COLLAB_NAME, DEFAULT_VERSION, identifierOf } from './names.js';
import { templateIsLiteralBlock, templateOfSpec, templateSpecYaml } from './specs.js';
import { specParameters } from './parameters.js';
import { implicitChecks } from './legacyConstructs.js';
import type { Change, Decision } from './types.js';
import type { Finding } from '../findings.js';
import { analyzeDocument, parseDocument } from '../analyze.js';
import { PROVIDED_TABLE_LISTS } from '../provided.js';

export interface TemplateMigration {
  name: string;
  body: string;
  spec: string;
  map: AliasMap;
  changes: Change[];
  decisions: Decision[];
  /** Sample renders compared, and how many were equal. */
  compared: number;
  equal: number;
}

/** A template this long (real ones are a few kilobytes) is compared on one sample shape only. */
const LARGE = 200_000;

/** Sample arguments for every list shape: traceable strings, alias-qualified like real ones. */
function sampleContexts(text: string): PyDict[] {
  const parsed = parse(text);
  const names = freeVariables(parsed.template);
  const shapes = inferShapes(parsed.template, names);
  const lists = [...shapes].filter(([, s]) => s === 'list').map(([n]) => n);
  // Six shapes (every list at 2, 1 and 3 entries, then one list longer or shorter than the
  // others) show each alias and index; more would only slow the editor's action down.
  return listShapes(lists, text.length > LARGE ? 1 : 6).map(shape => {
    let n = 0;
    const ctx = new PyDict();
    const str = (name: string) => {
      n++;
      if (/table/i.test(name)) return `DCRDB.DCRSCHEMA.T${n}`;
      if (/where|clause|filter|condition|predicate/i.test(name)) return `p.col${n} = 1`;
      return `${name === 'my_table' || /^c_|consumer/i.test(name) ? 'c' : 'p'}.col${n}`;
    };
    for (const [name, s] of shapes) {
      let v: PyValue;
      if (s === 'list') v = Array.from({ length: shape.get(name) ?? 2 }, () => str(name));
      else if (s === 'callable') continue;
      else if (s === 'dict') v = new PyDict();
      else if (s === 'number') v = 1000 + n++;
      else v = str(name);
      ctx.set(name, v);
    }
    return ctx;
  });
}

export function migrateTemplateText(text: string, legacyName: string, options: { providerRun?: boolean; name?: string } = {}): TemplateMigration {
  try {
    return migrateUnchecked(text, legacyName, options);
  } catch (e) {
    // The engine reports, it never throws: an input the migration cannot handle is a decision.
    const name = options.name ?? (COLLAB_NAME.test(legacyName) ? legacyName : identifierOf(legacyName));
    return {
      name,
      body: text,
      spec: '',
      map: new Map(),
      changes: [],
      decisions: [
        {
          where: `template '${legacyName}'`,
          message: `The template could not be migrated (${e instanceof Error ? e.message : String(e)}).`,
          reason: 'Write the spec by hand.',
        },
      ],
      compared: 0,
      equal: 0,
    };
  }
}

function migrateUnchecked(text: string, legacyName: string, options: { providerRun?: boolean; name?: string }): TemplateMigration {
  const swap = options.providerRun === true;
  const changes: Change[] = [];
  const decisions: Decision[] = [];
  const where = `template '${legacyName}'`;
  const parsed = parse(text);
  let name = options.name ?? legacyName;
  if (!COLLAB_NAME.test(name)) name = identifierOf(name);
  if (name !== legacyName)
    changes.push({
      where,
      message: `Template name '${legacyName}' → '${name}': ${COLLAB_NAME.test(legacyName) ? 'the name is taken by another template of this migration' : 'spec names are Snowflake identifiers of at most 75 letters, digits and underscores'}.`,
    });
  const contexts = parsed.errors.length ? [] : sampleContexts(text);
  const legacy = contexts.map(ctx => ({ ctx, out: renderString(text, ctx, { jinjasql: true, parsed }) }));
  const ev = emptyEvidence();
  const list = (ctx: PyDict, k: string) => {
    const v = ctx.get(k);
    return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
  };
  const defs = new Set<number>();
  for (const r of legacy) {
    if (r.out.output === null) continue;
    aliasesOfRender(r.out.output, list(r.ctx, 'source_table'), list(r.ctx, 'my_table'), swap, ev);
    aliasDefOffsets(r.out.output, r.out.segments, defs);
  }
  for (const c of ev.conflicts)
    decisions.push({
      where,
      message: `Alias '${c}' stands for different tables in different renders; it is not renamed.`,
      reason: 'The Collaboration alias depends on the table; rename each use by hand.',
    });
  const renamed = [...ev.map].filter(([a, b]) => a !== b);
  if (renamed.length) changes.push({ where, message: `Aliases renamed: ${renamed.map(([a, b]) => `${a} → ${b}`).join(', ')}.` });
  if (swap)
    changes.push({
      where,
      message: "Provider-run template: source_table and my_table are swapped (the runner's own tables are my_table under the Collaboration API).",
    });
  let body = text;
  if (parsed.errors.length)
    decisions.push({
      where,
      message: `The template has Jinja syntax errors (${parsed.errors[0]!.message}); it is copied as it is.`,
      reason: 'A template that does not parse cannot be rewritten safely.',
    });
  else {
    const { edits, problems } = templateEdits(text, parsed, ev.map, swap, defs);
    for (const p of problems) decisions.push({ where, message: `At offset ${p.span.start}: ${p.message}.`, reason: 'The edit is not certain.' });
    const applied = applyEdits(text, edits);
    for (const d of applied.dropped) decisions.push({ where, message: `Edit '${d.note}' overlaps another edit and was not made.`, reason: 'Make it by hand.' });
    body = lineEnds(applied.text, () =>
      changes.push({ where, message: 'Line ends CRLF → LF: a YAML block scalar holds only LF line breaks (the SQL is the same).' }),
    );
    for (const f of text.length > LARGE ? [] : implicitChecks(text, parsed))
      decisions.push({
        where,
        message: f.message,
        reason:
          'The legacy API checked dimensions, measure_column and where_clause against the column policy even without a filter; the Collaboration API checks only filtered values.',
      });
    if (/cleanroom\.temp_result_data/i.test(text))
      decisions.push({
        where,
        message: 'The template writes cleanroom.temp_result_data (legacy provider-run activation).',
        reason:
          'Collaboration activation templates create cleanroom.activation_data_<suffix> and RETURN the suffix; rewrite the table name and the RETURN value.',
      });
  }

  // The same sample arguments, aliases renamed, through the migrated template.
  let compared = 0;
  let equal = 0;
  const newParsed = parse(body);
  for (const r of legacy) {
    if (r.out.output === null) continue;
    compared++;
    let args = renameArguments(r.ctx, ev.map, new Set(PROVIDED_TABLE_LISTS));
    if (swap)
      args = new PyDict(args.entries().map(([k, v]) => [k === 'source_table' ? 'my_table' : k === 'my_table' ? 'source_table' : k, v] as [PyValue, PyValue]));
    const now = renderString(body, args, { jinjasql: true, parsed: newParsed });
    const expected = normalizeLegacySql(/\r/.test(text) ? r.out.output.replace(/\r\n?/g, '\n') : r.out.output, ev.map, new Map());
    if (now.output === expected) equal++;
    else if (decisions.every(d => !d.diff))
      decisions.push({
        where,
        message: 'With sample arguments, the migrated render differs from the legacy render beyond the alias renaming.',
        reason: 'The rewrite changed what the query does; compare the diff and fix the spec.',
        diff: now.output === null ? `migrated render fails: ${now.error?.message}` : lineDiff(expected, now.output),
      });
  }
  const firstOut = legacy.find(r => r.out.output !== null)?.out.output ?? text;
  const type = templateKind(firstOut, legacyName, 'legacy') === 'activation' ? 'sql_activation' : 'sql_analysis';
  const parameters = specParameters({ parsed, newBody: body, map: ev.map, analyses: [] });
  const spec = templateSpecYaml({
    name,
    version: DEFAULT_VERSION,
    type,
    description: `Migrated from the legacy clean room template '${legacyName}'.`,
    parameters,
    template: body,
  });
  if (templateOfSpec(spec) !== body || !templateIsLiteralBlock(spec))
    decisions.push({
      where,
      message: 'The template body does not survive as a YAML literal block byte for byte.',
      reason: "Characters a literal block cannot hold; check the spec's template text.",
    });
  // Nothing silent: a warning or error the spec gets that the legacy template did not have is
  // a change of meaning under the Collaboration API, for a person to decide.
  const serious = (f: Finding) => f.severity === 'error' || f.severity === 'warning';
  const before = new Set(
    analyzeDocument(parseDocument({ text, path: 'legacy.jinjasql' }), { api: 'legacy' })
      .filter(serious)
      .map(f => f.code),
  );
  for (const f of analyzeDocument(parseDocument({ text: spec, path: `${name}.yaml` }), { api: 'collaboration' }).filter(serious)) {
    if (before.has(f.code)) continue;
    decisions.push({
      where,
      message: `The migrated spec gets ${f.code} (${f.severity}): ${f.message}`,
      reason: 'The Collaboration API reads this differently from the legacy one; decide how the template should read.',
    });
  }
  return { name, body, spec, map: ev.map, changes, decisions, compared, equal };
}

/**
 * The spec with the migration's changes and decisions as YAML comments above it, so what
 * needs a person is in the file a person opens. Comments do not change the spec's fields.
 */
export function specWithNotes(m: TemplateMigration, legacyName: string): string {
  const lines = [`# Migrated from the legacy clean room template '${legacyName}' by Clean Room Templates.`];
  if (m.compared) lines.push(`# Sample renders compared with the legacy template: ${m.equal} of ${m.compared} equal apart from the alias renaming.`);
  for (const c of m.changes) lines.push(`# Change: ${c.message}`);
  for (const d of m.decisions) lines.push(`# DECIDE: ${d.message} (${d.reason})`);
  lines.push('# Analysis arguments need the same alias renaming (p.COL -> p1.COL); dcr migrate does it for a whole cleanrooms.json.');
  return `${lines.map(l => l.replace(/[\r\n]+/g, ' ')).join('\n')}\n${m.spec}`;
}
