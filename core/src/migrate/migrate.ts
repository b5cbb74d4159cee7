/**
 * Legacy clean rooms (cleanrooms.json + templates) to Collaboration API material: template
 * specs, data offering specs, collaboration specs and a new cleanrooms.json, with a report of
 * every change, every place a person must decide, and a faithfulness check: each analysis's
 * migrated render must equal its legacy render once aliases and table names are renamed.
 *
 * Pure: texts in, texts and a report out. What the Collaboration API changes, and how each
 * change is made here:
 * - aliases: numbered from 1 (`p1` is source_table[0]) instead of 0 (aliasMap.ts);
 * - source_table entries: `collaborator_alias.offering_id.dataset_alias` view names;
 * - a provider-run template: the runner's own tables become my_table, so source_table and
 *   my_table (and the `p`/`c` letters) swap;
 * - policies: per-room, per-template legacy lists become data offerings (join columns
 *   `join_custom`, which keeps the column's name; other allowed columns `passthrough`);
 * - multi-provider analyses: one collaboration with one data provider per clean room.
 */
import type { Finding } from '../findings.js';
import { parse, type ParseResult } from '../jinja/parse.js';
import type { PyDict } from '../jinja/runtime/values.js';
import { extractTemplates, detectKind } from '../sources/regions.js';
import { parseProfile, templateBaseName, type ProfileAnalysisExtra } from '../profile/parse.js';
import { renderAnalysis, splitRoomPrefix } from '../profile/analyses.js';
import { analyzeProfileDocument } from '../profile/document.js';
import { profileRules } from '../rules/profileChecks.js';
import { templateKind } from '../rules/sqlChecks.js';
import type { Profile, ProfileAnalysis } from '../profile/types.js';
import { analyzeDocument, parseDocument } from '../analyze.js';
import { aliasDefOffsets, aliasesOfRender, conventionalTarget, emptyEvidence, type AliasMap } from './aliasMap.js';
import { renderSymbolic } from '../jinja/symbolic.js';
import { applyEdits, lineEnds, normalizeLegacySql, renameArguments, templateEdits } from './rewrite.js';
import { lineDiff } from './diff.js';
import { COLLAB_NAME, DEFAULT_VERSION, identifierOf, slugOf, unique } from './names.js';
import { checkSpec, collaborationYaml, dataOfferingYaml, templateIsLiteralBlock, templateOfSpec, templateSpecYaml, type CollaborationSpec } from './specs.js';
import { implicitChecks, sampleAliasEvidence } from './legacyConstructs.js';
import { buildOffering, normTable, type Offering, type Side } from './offerings.js';
import { allStrings, diffArgs, jsonOf, jsonText, prefixes, strings } from './arguments.js';
import { specParameters } from './parameters.js';
import { migrateTemplateText, type TemplateMigration } from './template.js';
import type { MigrateInput, MigrateResult, MigrationReport, OutputFile, RenderComparison } from './types.js';
import { PROVIDED_TABLE_LISTS } from '../provided.js';

type Analysis = ProfileAnalysis & ProfileAnalysisExtra;

const CONSUMER = 'consumer';

interface LegacyTemplate {
  key: string;
  path: string;
  legacyName: string;
  text: string;
  parsed: ParseResult;
  analyses: Analysis[];
  swap: boolean;
  map: AliasMap;
  newName: string;
  newBody: string;
  specPath: string;
  kind: 'sql_analysis' | 'sql_activation';
  clean: boolean;
}

/** A template a room installs that no analysis runs. */
interface Extra {
  legacyName: string;
  missing: boolean;
  path?: string;
  /** The legacy template text. */
  text?: string;
  m?: TemplateMigration;
  specPath?: string;
  kind?: 'sql_analysis' | 'sql_activation';
}

/** The texts of template `name` among the files: a template file of that base name, or a worksheet call that sends it. */
function findTemplate(files: readonly { path: string; text: string }[], name: string): { path: string; text: string }[] {
  const want = name.toLowerCase();
  const out: { path: string; text: string }[] = [];
  for (const f of files) {
    const kind = detectKind(f.path, undefined, f.text);
    if (kind === 'template' && templateBaseName(f.path).toLowerCase() === want) out.push({ path: f.path, text: f.text });
    else if (kind === 'worksheet')
      for (const r of extractTemplates(f.text, kind)) if (r.meta.templateName?.toLowerCase() === want) out.push({ path: f.path, text: r.text });
  }
  return out;
}

interface Group {
  name: string;
  rooms: string[];
  analyses: Analysis[];
  templates: Set<LegacyTemplate>;
}

export function migrateProfile(input: MigrateInput): MigrateResult {
  try {
    return migrateUnchecked(input);
  } catch (e) {
    // The engine reports, it never throws: a defect here must not look like a clean run.
    const report = finish(emptyReport(), []).report;
    report.fatal = `the migration failed on this input (${e instanceof Error ? e.message : String(e)}); nothing was written`;
    return { files: [], report };
  }
}

function emptyReport(): MigrationReport {
  return {
    version: 1,
    changes: [],
    decisions: [],
    fillIn: [],
    renders: [],
    templates: [],
    analyses: [],
    files: [],
    summary: { analyses: 0, analysesClean: 0, templates: 0, templatesClean: 0, changes: 0, decisions: 0, fillIn: 0 },
  };
}

function migrateUnchecked(input: MigrateInput): MigrateResult {
  const report = emptyReport();
  const change = (where: string, message: string) => report.changes.push({ where, message });
  const decide = (where: string, message: string, reason: string, diff?: string) =>
    report.decisions.push({ where, message, reason, ...(diff ? { diff } : {}) });
  const files: OutputFile[] = [];
  const done = (): MigrateResult => finish(report, files);

  const profile = parseProfile(input.profileText);
  if (profile.api === 'collaboration') {
    report.fatal = 'the profile already targets the Collaboration API ("api": "collaboration"); there is nothing to migrate';
    return done();
  }
  for (const p of profile.problems)
    if (p.severity === 'error') decide('cleanrooms.json', p.message, 'The legacy profile has an error here; the part it concerns is not migrated.');
  let selected = [...profile.analyses.values()] as Analysis[];
  if (input.analysis !== undefined) {
    selected = selected.filter(a => a.name === input.analysis);
    if (!selected.length) {
      const names = [...profile.analyses.keys()].map(n => `'${n}'`).join(', ');
      report.fatal = `no analysis '${input.analysis}' in the profile (${names ? `analyses: ${names}` : 'it has no valid analyses'})`;
      return done();
    }
  }
  if (!selected.length) {
    report.fatal = 'the profile has no analyses: a migration starts from the analyses (they name the template files and their arguments)';
    return done();
  }

  // ---- templates, by file and name
  const templates = new Map<string, LegacyTemplate>();
  const usable: Analysis[] = [];
  for (const a of selected) {
    const source = input.templateText(a.template);
    const where = `analysis '${a.name}'`;
    if (source === undefined) {
      decide(where, `Template file '${a.template}' was not found; the analysis is not migrated.`, 'Without the template there is nothing to migrate or check.');
      continue;
    }
    const kind = detectKind(a.template, undefined, source);
    const regions = extractTemplates(source, kind);
    const named = kind === 'worksheet' ? regions.filter(r => r.meta.templateName === a.templateName) : regions;
    const region = named[0] ?? (kind === 'worksheet' && !a.templateNameExplicit ? regions[0] : undefined);
    if (!region) {
      decide(
        where,
        `No template '${a.templateName}' in '${a.template}'; the analysis is not migrated.`,
        'The worksheet has no create_template_request/add_custom_sql_template call with that name.',
      );
      continue;
    }
    if (named.length > 1 && named.some(r => r.text !== region.text)) {
      decide(
        where,
        `The worksheet sends different texts under the name '${a.templateName}' (one per clean room); the first is migrated.`,
        'A collaboration has one template spec per name and version; pick the text every provider approved.',
      );
    }
    const key = `${a.template}#${a.templateName}`;
    let t = templates.get(key);
    if (!t) {
      const parsed = parse(region.text);
      t = {
        key,
        path: a.template,
        legacyName: a.templateName,
        text: region.text,
        parsed,
        analyses: [],
        swap: a.runAs === 'provider',
        map: new Map(),
        newName: '',
        newBody: region.text,
        specPath: '',
        kind: 'sql_analysis',
        clean: true,
      };
      templates.set(key, t);
      if (parsed.errors.length) {
        decide(
          `template '${a.templateName}'`,
          `The template has Jinja syntax errors (${parsed.errors[0]!.message}); it is copied as it is and not checked.`,
          'A template that does not parse cannot be rewritten safely.',
        );
        t.clean = false;
      }
    } else if ((a.runAs === 'provider') !== t.swap) {
      decide(
        where,
        `Template '${a.templateName}' is run by both the provider and the consumer; it is migrated for ${t.swap ? 'the provider' : 'the consumer'} as the runner.`,
        "Under the Collaboration API the runner's own tables are my_table, so a provider-run and a consumer-run use need two template versions with source_table and my_table swapped.",
      );
    }
    t.analyses.push(a);
    usable.push(a);
  }

  // ---- collaborations: clean rooms joined by the analyses that span them
  const groups = groupRooms(usable, profile);
  const collabNames = new Set<string>();
  for (const g of groups) {
    g.name = unique(slugOf(g.rooms.length > 1 ? `${g.rooms[0]}_multi_provider` : g.rooms[0]!), collabNames);
    change(
      `collaboration '${g.name}'`,
      g.rooms.length > 1
        ? `Clean rooms ${g.rooms.map(r => `'${r}'`).join(', ')} become one collaboration with one data provider per clean room (multi-provider analyses run in one collaboration).`
        : `Clean room '${g.rooms[0]}' becomes collaboration '${g.name}'.`,
    );
  }
  const groupOf = (room: string) => groups.find(g => g.rooms.includes(room))!;

  // ---- collaborator aliases, from the clean room names
  const providerAlias = new Map<string, string>();
  const aliasNames = new Set<string>([CONSUMER]);
  for (const g of groups) for (const r of g.rooms) providerAlias.set(r, unique(slugOf(r, 60), aliasNames, 60));

  // ---- offerings: one per clean room side that an analysis reads
  const offerings = new Map<string, Offering>();
  const roles = new Map<string, { shared: boolean; local: boolean }>();
  const offeringNames = new Set<string>();
  const offeringFor = (roomName: string, side: Side): Offering | null => {
    const key = `${roomName}\u0000${side}`;
    const existing = offerings.get(key);
    if (existing) return existing;
    const room = profile.cleanrooms.get(roomName);
    if (!room) return null;
    const o = buildOffering(
      room,
      side,
      side === 'provider' ? providerAlias.get(roomName)! : CONSUMER,
      roles.get(key)?.shared ?? side === 'provider',
      offeringNames,
      change,
      decide,
    );
    offerings.set(key, o);
    return o;
  };

  // ---- each template: alias map from its analyses' legacy renders, then the edits
  const specNames = new Set<string>();
  for (const t of templates.values()) {
    const where = `template '${t.legacyName}'`;
    if (!t.parsed.errors.length) {
      const ev = emptyEvidence();
      // Where aliases are defined: the analyses' renders, and sample renders for branches
      // no analysis reaches.
      const defs = new Set<number>();
      for (const a of t.analyses) {
        if ((a.runAs === 'provider') !== t.swap) continue;
        for (const [k, r] of renderAnalysis(t.text, t.parsed, a, profile).renders.entries()) {
          if (r.outcome.output === null) continue;
          if (k === 0) aliasesOfRender(r.outcome.output, strings(r.arguments.get('source_table')), strings(r.arguments.get('my_table')), t.swap, ev);
          aliasDefOffsets(r.outcome.output, r.outcome.segments, defs);
        }
      }
      sampleAliasEvidence(renderSymbolic(t.text, t.parsed), 6, defs);
      for (const c of ev.conflicts)
        decide(
          where,
          `Alias '${c}' stands for different tables in different renders; it is not renamed.`,
          'The Collaboration alias depends on the table; rename each use by hand.',
        );
      // Aliases only the arguments name (`p.STATUS` with no `p` in the SQL) follow the documented renumbering.
      const named = new Set<string>([...ev.unresolved]);
      for (const a of t.analyses) for (const v of allStrings(a.arguments)) for (const al of prefixes(v)) named.add(al);
      const oneBased = [...ev.map].some(([a, b]) => /\d/.test(a) && a === b);
      for (const al of named) {
        if (ev.map.has(al) || ev.conflicts.includes(al)) continue;
        const target = conventionalTarget(al, t.swap);
        if (!target) continue;
        ev.map.set(al, target);
        if (oneBased && target !== al)
          decide(
            where,
            `Alias '${al}' appears only in arguments; it is renamed to '${target}' by the documented rule, but this template numbers its other aliases from 1.`,
            'Check which table the alias means; the documented rule may be wrong for this template.',
          );
        else if (target !== al)
          change(
            where,
            `Alias '${al}' (named only in arguments or in a subquery) → '${target}' by the documented rule (legacy p/p0 = source_table[0], pN = source_table[N]).`,
          );
      }
      t.map = ev.map;
      const renamed = [...ev.map].filter(([a, b]) => a !== b);
      if (renamed.length) change(where, `Aliases renamed: ${renamed.map(([a, b]) => `${a} → ${b}`).join(', ')}.`);
      else if (ev.map.size) change(where, `Aliases kept: ${[...ev.map.keys()].join(', ')} already mean the Collaboration tables (numbered from 1).`);
      if (t.swap)
        change(
          where,
          "Provider-run template: source_table and my_table are swapped (the runner's own tables are my_table under the Collaboration API), with the p/c letters.",
        );
      const { edits, problems } = templateEdits(t.text, t.parsed, ev.map, t.swap, defs);
      for (const p of problems) decide(where, `At offset ${p.span.start}: ${p.message}.`, 'The edit is not certain.');
      const applied = applyEdits(t.text, edits);
      for (const d of applied.dropped) decide(where, `Edit '${d.note}' overlaps another edit and was not made.`, 'Make it by hand.');
      t.newBody = lineEnds(applied.text, () => change(where, 'Line ends CRLF → LF: a YAML block scalar holds only LF line breaks (the SQL is the same).'));
      for (const f of implicitChecks(t.text, t.parsed)) {
        decide(
          where,
          f.message,
          'The legacy API checked dimensions, measure_column and where_clause against the column policy even without a filter; the Collaboration API checks only filtered values.',
        );
      }
      const kindSql = renderAnalysis(t.text, t.parsed, t.analyses[0]!, profile).renders[0]!.outcome.output ?? t.text;
      t.kind = templateKind(kindSql, t.legacyName, 'legacy') === 'activation' ? 'sql_activation' : 'sql_analysis';
      if (/cleanroom\.temp_result_data/i.test(t.text)) {
        decide(
          where,
          'The template writes cleanroom.temp_result_data (legacy provider-run activation).',
          'Collaboration activation templates create cleanroom.activation_data_<suffix> and RETURN the suffix; rewrite the table name and the RETURN value.',
        );
      }
    }
    let name = t.legacyName;
    if (!COLLAB_NAME.test(name)) {
      name = identifierOf(name);
      change(where, `Template name '${t.legacyName}' → '${name}': spec names are Snowflake identifiers of at most 75 letters, digits and underscores.`);
    }
    t.newName = unique(name, specNames);
    if (t.newName !== name) change(where, `Template name '${name}' is taken by another template of this migration; it becomes '${t.newName}'.`);
    t.specPath = `templates/${t.newName}.yaml`;
  }

  // Which sides are shared (the other party's data: source_table, policy-checked) and which
  // are the runner's own (my_table, a local offering), decided before the offerings are built.
  for (const t of templates.values()) {
    for (const a of t.analyses) {
      for (const room of a.cleanrooms) {
        for (const side of ['provider', 'consumer'] as const) {
          const key = `${room}\u0000${side}`;
          const role = roles.get(key) ?? { shared: false, local: false };
          if ((side === 'provider') !== t.swap) role.shared = true;
          else role.local = true;
          roles.set(key, role);
        }
      }
    }
  }
  for (const [key, role] of roles) {
    if (role.shared && role.local) {
      const [room, side] = key.split('\u0000');
      decide(
        `clean room '${room}'`,
        `The ${side} tables are the runner's own data in some analyses and the other party's in others; one offering is built, with the ${side}'s policies, and shared.`,
        'Provider-run and consumer-run analyses in one room: check that the offering should be shared.',
      );
    }
  }

  // ---- analyses: arguments in the Collaboration form, renders compared
  const newAnalyses = new Map<string, { a: Analysis; t: LegacyTemplate; args: PyDict; group: Group }>();
  for (const t of templates.values()) {
    for (const a of t.analyses) {
      const g = groupOf(a.cleanrooms[0]!);
      g.analyses.push(a);
      g.templates.add(t);
      const where = `analysis '${a.name}'`;
      const swap = t.swap;
      const sources = strings(a.arguments.get('source_table'));
      const mine = strings(a.arguments.get('my_table'));
      const views = new Map<string, string>();
      const viewOf = (entry: string, side: Side): string => {
        let room = a.cleanrooms[0]!;
        let table = entry;
        if (a.cleanrooms.length > 1 && side === 'provider') {
          const split = splitRoomPrefix(entry, a.cleanrooms);
          if (split) ({ room, table } = split);
          else
            decide(
              where,
              `source_table entry '${entry}' does not start with one of the analysis's clean rooms; it is kept as it is.`,
              'Multi-provider entries are "<clean room>.DB.SCHEMA.TABLE".',
            );
        }
        const o = offeringFor(room, side);
        const v = o?.views.get(normTable(table));
        if (!o || v === undefined) {
          decide(
            where,
            `Table '${table}' is not in the ${side} tables of clean room '${room}' in the profile; it has no data offering and is kept as it is.`,
            'Add the table with its columns to the profile and migrate again.',
          );
          return entry;
        }
        views.set(entry, v);
        return v;
      };
      // Legacy source_table holds the provider's tables and my_table the consumer's, whoever
      // runs; a provider-run analysis moves them to the other list.
      const newSources = sources.map(e => viewOf(e, 'provider'));
      const newMine = mine.map(e => viewOf(e, 'consumer'));
      const args = renameArguments(a.arguments, t.map, new Set(PROVIDED_TABLE_LISTS));
      if (a.arguments.has('source_table') || swap) args.set(swap ? 'my_table' : 'source_table', newSources);
      if (a.arguments.has('my_table') || swap) args.set(swap ? 'source_table' : 'my_table', newMine);
      if (swap && !a.arguments.has('my_table')) args.delete('source_table');
      if (swap && !a.arguments.has('source_table')) args.delete('my_table');
      const renamedArgs = diffArgs(a.arguments, args);
      if (renamedArgs.length) change(where, `Arguments: ${renamedArgs.join('; ')}.`);
      newAnalyses.set(a.name, { a, t, args, group: g });
    }
  }

  // ---- templates a room installs that no analysis runs: found among the files near the
  // profile and migrated on sample arguments, so nothing a room holds is dropped in silence
  const extras = new Map<string, Extra>();
  const extrasOf = new Map<Group, Extra[]>();
  if (input.analysis === undefined) {
    for (const g of groups) {
      for (const room of g.rooms) {
        for (const legacyName of profile.cleanrooms.get(room)?.templates ?? []) {
          const key = legacyName.toLowerCase();
          if ([...templates.values()].some(t => t.legacyName.toLowerCase() === key)) continue;
          let extra = extras.get(key);
          if (!extra) {
            const found = findTemplate(input.templateFiles ?? [], legacyName);
            if (!found.length) {
              decide(
                `clean room '${room}'`,
                `Template '${legacyName}' is installed in the room, but no analysis runs it and no file near the profile holds it, so it is not migrated.`,
                'Add its file (a template file of that name, or a worksheet call that sends it) or an analysis that runs it.',
              );
              extras.set(key, (extra = { legacyName, missing: true } as Extra));
            } else {
              if (new Set(found.map(f => f.text)).size > 1)
                decide(
                  `template '${legacyName}'`,
                  `Several files hold template '${legacyName}' with different texts (${found.map(f => f.path).join(', ')}); the first is migrated.`,
                  'Pick the text the clean room has installed.',
                );
              const name = unique(COLLAB_NAME.test(legacyName) ? legacyName : identifierOf(legacyName), specNames);
              const m = migrateTemplateText(found[0]!.text, legacyName, { name });
              extra = {
                legacyName,
                missing: false,
                path: found[0]!.path,
                text: found[0]!.text,
                m,
                specPath: `templates/${m.name}.yaml`,
                kind: /^type: sql_activation$/m.test(m.spec) ? 'sql_activation' : 'sql_analysis',
              };
              extras.set(key, extra);
              const where = `template '${legacyName}'`;
              change(
                where,
                `No analysis runs it: migrated from '${found[0]!.path}' with aliases judged on sample arguments (${m.equal} of ${m.compared} sample renders equal apart from the renaming).`,
              );
              for (const c of m.changes) report.changes.push(c);
              for (const d of m.decisions) report.decisions.push(d);
            }
          }
          if (!extra.missing) {
            const list = extrasOf.get(g) ?? [];
            if (!list.includes(extra)) list.push(extra);
            extrasOf.set(g, list);
            offeringFor(room, 'provider');
          }
        }
      }
    }
  } else {
    for (const g of groups) {
      for (const room of g.rooms) {
        for (const name of profile.cleanrooms.get(room)?.templates ?? []) {
          const known = [...profile.analyses.values()].some(a => a.templateName.toLowerCase() === name.toLowerCase());
          if (!known && ![...templates.values()].some(t => t.legacyName.toLowerCase() === name.toLowerCase())) {
            decide(
              `clean room '${room}'`,
              `Template '${name}' is installed in the room but no analysis runs it; migrate the whole profile (without --analysis) to look for its file.`,
              'Only the named analysis is migrated.',
            );
          }
        }
      }
    }
  }

  // ---- specs and the profile
  const newProfile: { api: 'collaboration'; cleanrooms: Record<string, unknown>; analyses: Record<string, unknown> } = {
    api: 'collaboration',
    cleanrooms: {},
    analyses: {},
  };
  for (const t of templates.values()) {
    const parameters = specParameters(t);
    const yaml = templateSpecYaml({
      name: t.newName,
      version: DEFAULT_VERSION,
      type: t.kind,
      description: `Migrated from the legacy clean room template '${t.legacyName}' (${t.path}).`,
      parameters,
      template: t.newBody,
    });
    files.push({ path: t.specPath, text: yaml, kind: 'template-spec' });
    if (templateOfSpec(yaml) !== t.newBody || !templateIsLiteralBlock(yaml)) {
      decide(
        `template '${t.legacyName}'`,
        'The template body does not survive as a YAML literal block byte for byte.',
        "Characters a literal block cannot hold (e.g. carriage returns or control characters); check the spec's template text.",
      );
    }
  }
  for (const e of extras.values()) if (!e.missing) files.push({ path: e.specPath!, text: e.m!.spec, kind: 'template-spec' });
  if (offerings.size)
    report.fillIn.push({
      where: 'data offerings',
      message: `Offering IDs are written as <name>_${DEFAULT_VERSION} (as template IDs are <name>_<version>); if REGISTER_DATA_OFFERING returns another ID, use it in the collaboration spec and in the view names of cleanrooms.json.`,
    });
  for (const o of offerings.values()) {
    files.push({
      path: `offerings/${o.name}.yaml`,
      text: dataOfferingYaml({
        name: o.name,
        version: DEFAULT_VERSION,
        description: `${o.side === 'provider' ? 'Provider' : 'Consumer'} tables of legacy clean room '${o.room}'${o.shared ? '' : " (the runner's own data: link with LINK_LOCAL_DATA_OFFERING)"}.`,
        datasets: o.datasets.map(d => ({ alias: d.alias, data_object_fqn: d.fqn, columns: d.columns })),
      }),
      kind: 'data-offering-spec',
    });
    if (!o.shared)
      report.fillIn.push({
        where: `data offering '${o.name}'`,
        message: "The runner's own tables: register it, then link it with COLLABORATION.LINK_LOCAL_DATA_OFFERING (not listed in the collaboration spec).",
      });
  }
  for (const g of groups) {
    const spec: CollaborationSpec = {
      name: g.name,
      version: DEFAULT_VERSION,
      description: `Migrated from legacy clean room${g.rooms.length > 1 ? 's' : ''} ${g.rooms.map(r => `'${r}'`).join(', ')}.`,
      owner: CONSUMER,
      collaborators: new Map(),
      runners: new Map(),
    };
    spec.collaborators.set(CONSUMER, '<CONSUMER_ACCOUNT_IDENTIFIER>');
    for (const r of g.rooms) spec.collaborators.set(providerAlias.get(r)!, `<ACCOUNT_IDENTIFIER_OF_${providerAlias.get(r)!.toUpperCase()}>`);
    report.fillIn.push({
      where: `collaboration '${g.name}'`,
      message: `Replace the account identifier placeholders of ${[...spec.collaborators.keys()].join(', ')} (data sharing account identifiers, ORG.ACCOUNT).${g.rooms.length > 1 ? ' Clean rooms of one provider account become one alias with several offerings.' : ''}`,
    });
    const runner = (alias: string) => {
      let r = spec.runners.get(alias);
      if (!r) spec.runners.set(alias, (r = { providers: new Map(), templates: [], activationTo: [] }));
      return r;
    };
    for (const { a, t } of [...newAnalyses.values()].filter(x => x.group === g)) {
      const providerRun = t.swap;
      const runs = providerRun ? providerAlias.get(a.cleanrooms[0]!)! : CONSUMER;
      const r = runner(runs);
      const id = `${t.newName}_${DEFAULT_VERSION}`;
      if (!r.templates.includes(id)) r.templates.push(id);
      for (const room of a.cleanrooms) {
        const o = offerings.get(`${room}\u0000${providerRun ? 'consumer' : 'provider'}`);
        const owner = providerRun ? CONSUMER : providerAlias.get(room)!;
        const list = r.providers.get(owner) ?? [];
        if (o && !list.includes(o.id)) list.push(o.id);
        r.providers.set(owner, list);
      }
      if (t.kind === 'sql_activation' && !r.activationTo.includes(runs)) {
        r.activationTo.push(runs);
        report.fillIn.push({
          where: `collaboration '${g.name}'`,
          message: `Activation template '${t.newName}': activation_destinations lists the runner '${runs}'; add the collaborators that receive segments.`,
        });
      }
    }
    for (const e of extrasOf.get(g) ?? []) {
      const r = runner(CONSUMER);
      const id = `${e.m!.name}_${DEFAULT_VERSION}`;
      if (!r.templates.includes(id)) r.templates.push(id);
      for (const room of g.rooms) {
        if (!(profile.cleanrooms.get(room)?.templates ?? []).some(n => n.toLowerCase() === e.legacyName.toLowerCase())) continue;
        const o = offerings.get(`${room}\u0000provider`);
        const owner = providerAlias.get(room)!;
        const list = r.providers.get(owner) ?? [];
        if (o && !list.includes(o.id)) list.push(o.id);
        r.providers.set(owner, list);
      }
      if (e.kind === 'sql_activation' && !r.activationTo.includes(CONSUMER)) {
        r.activationTo.push(CONSUMER);
        report.fillIn.push({
          where: `collaboration '${g.name}'`,
          message: `Activation template '${e.m!.name}': activation_destinations lists the runner '${CONSUMER}'; add the collaborators that receive segments.`,
        });
      }
    }
    const yaml = collaborationYaml(spec);
    files.push({ path: `collaborations/${g.name}.yaml`, text: yaml, kind: 'collaboration-spec' });

    // The collaboration in the profile: shared views on the provider side (the source_table
    // side, whose policies are checked), the runners' own views on the consumer side.
    const shared = [...offerings.values()].filter(o => g.rooms.includes(o.room) && o.shared);
    const local = [...offerings.values()].filter(o => g.rooms.includes(o.room) && !o.shared);
    const names = [...[...g.templates].map(t => t.newName), ...(extrasOf.get(g) ?? []).map(e => e.m!.name)];
    const side = (list: Offering[], policies: boolean) => {
      const tables: Record<string, string[]> = {};
      const joinPolicy: string[] = [];
      const columnPolicy: string[] = [];
      const activationPolicy: string[] = [];
      for (const o of list) {
        o.datasets.forEach(d => {
          const view = `${o.owner}.${o.id}.${d.alias}`;
          tables[view] = [...d.columns.keys()];
          for (const [c, p] of d.columns) {
            if (p.category === 'join_custom') joinPolicy.push(`${view}:${c}`);
            else for (const n of names) columnPolicy.push(`${n}:${view}:${c}`);
            if (p.activation_allowed) for (const n of names) activationPolicy.push(`${n}:${view}:${c}`);
          }
        });
      }
      return policies ? { tables, joinPolicy, columnPolicy, activationPolicy } : { tables };
    };
    newProfile.cleanrooms[g.name] = { provider: side(shared, true), consumer: side(local, false), templates: names };
  }
  for (const { a, t, args, group } of newAnalyses.values()) {
    newProfile.analyses[a.name] = { template: t.specPath, templateName: t.newName, cleanrooms: [group.name], arguments: jsonOf(args) };
  }
  const profileText = jsonText(newProfile, 2) + '\n';
  files.push({ path: 'cleanrooms.json', text: profileText, kind: 'profile' });

  // ---- checks
  const migrated = parseProfile(profileText);
  for (const p of migrated.problems)
    decide('cleanrooms.json (migrated)', p.message, 'The migrated profile must parse without problems; this is a defect of the migration.');
  const fileText = new Map(files.map(f => [f.path, f.text]));
  for (const o of files.filter(f => f.kind === 'data-offering-spec' || f.kind === 'collaboration-spec')) {
    for (const m of checkSpec(o.text))
      decide(o.path, `The spec does not pass its field checks: ${m}.`, 'A defect of the migration or of the profile it was made from.');
  }
  for (const t of templates.values()) {
    const where = `template '${t.legacyName}'`;
    const spec = fileText.get(t.specPath)!;
    const model = parseDocument({ text: spec, path: t.specPath });
    const after = analyzeDocument(model, { api: 'collaboration', profile: { profile: migrated, templatePath: t.specPath } }).filter(serious);
    const before = legacyFindings(t, profile);
    const left = new Map<string, number>();
    for (const f of before) left.set(f.code, (left.get(f.code) ?? 0) + 1);
    for (const f of after) {
      const n = left.get(f.code) ?? 0;
      const line = model.lines.positionAt(f.span.start).line + 1;
      // A policy check of one analysis (DCR3xx) belongs to that analysis, not to the template.
      const owner = (f.data as { analysis?: unknown } | undefined)?.analysis;
      const at = typeof owner === 'string' && newAnalyses.has(owner) ? `analysis '${owner}'` : where;
      if (at === where) t.clean = false;
      if (n > 0) {
        left.set(f.code, n - 1);
        decide(
          at,
          `${f.code} ${f.severity} at ${t.specPath}:${line}: ${f.message.split('\n')[0]}`,
          'Carried over: the legacy template or analysis has the same finding; fix it before registering the spec.',
        );
      } else decide(at, `${f.code} ${f.severity} at ${t.specPath}:${line}: ${f.message.split('\n')[0]}`, newFindingReason(f));
    }
    for (const { a, args } of [...newAnalyses.values()].filter(x => x.t === t)) {
      const legacy = renderAnalysis(t.text, t.parsed, a, profile).renders[0]!;
      const newParsed = parse(t.newBody);
      const analysis: ProfileAnalysis = {
        name: a.name,
        nameSpan: a.nameSpan,
        template: t.specPath,
        templateName: t.newName,
        cleanrooms: [newAnalyses.get(a.name)!.group.name],
        arguments: args,
        argumentSpans: new Map(),
      };
      const now = renderAnalysis(t.newBody, newParsed, analysis, migrated).renders[0]!;
      const cmp: RenderComparison = { analysis: a.name, template: t.newName, scope: legacy.scope, equal: false };
      if (legacy.outcome.output === null) {
        decide(
          `analysis '${a.name}'`,
          `The legacy render fails (${legacy.outcome.error?.message ?? 'syntax error'}), so the migration cannot be checked against it.`,
          'Fix the legacy analysis first.',
        );
      } else if (now.outcome.output === null) {
        decide(
          `analysis '${a.name}'`,
          `The migrated template fails to render: ${now.outcome.error?.message ?? 'syntax error'}.`,
          'A defect of the rewrite; edit the spec by hand.',
        );
      } else {
        const tables = new Map<string, string>();
        const legacySources = strings(legacy.arguments.get('source_table'));
        const legacyMine = strings(legacy.arguments.get('my_table'));
        const nowSources = strings(now.arguments.get(t.swap ? 'my_table' : 'source_table'));
        const nowMine = strings(now.arguments.get(t.swap ? 'source_table' : 'my_table'));
        legacySources.forEach((e, i) => nowSources[i] !== undefined && tables.set(e, nowSources[i]!));
        legacyMine.forEach((e, i) => nowMine[i] !== undefined && tables.set(e, nowMine[i]!));
        const expected = normalizeLegacySql(
          t.newBody === t.text || !/\r/.test(t.text) ? legacy.outcome.output : legacy.outcome.output.replace(/\r\n?/g, '\n'),
          t.map,
          tables,
        );
        cmp.equal = expected === now.outcome.output;
        if (!cmp.equal) {
          cmp.diff = lineDiff(expected, now.outcome.output);
          decide(
            `analysis '${a.name}'`,
            `The migrated render differs from the legacy render${legacy.scope === 'cluster' ? ' (cluster render)' : ''} beyond the alias and table renaming.`,
            'The rewrite changed what the query does; compare the diff and fix the spec.',
            cmp.diff,
          );
        }
      }
      report.renders.push(cmp);
    }
  }
  // The same check on the template is already a decision; the profile's copy of it adds nothing.
  const said = new Set(report.decisions.map(d => d.message.replace(/^(DCR\d+ \w+) at [^:]+:\d+: /, '$1: ')));
  const profileFindings = analyzeProfileDocument(profileText, { templateText: p => fileText.get(p) })
    .filter(serious)
    .filter(f => !said.has(`${f.code} ${f.severity}: ${f.message.split('\n')[0]}`));
  for (const f of profileFindings)
    decide(
      'cleanrooms.json (migrated)',
      `${f.code} ${f.severity}: ${f.message.split('\n')[0]}`,
      'The migrated profile does not pass dcr check; see the message.',
    );

  // ---- outcome per template and analysis
  const openFor = (where: string) => report.decisions.some(d => d.where === where);
  for (const t of templates.values()) {
    const clean = t.clean && !openFor(`template '${t.legacyName}'`);
    report.templates.push({ legacyName: t.legacyName, source: t.path, name: t.newName, id: `${t.newName}_${DEFAULT_VERSION}`, spec: t.specPath, clean });
  }
  for (const { a, t, group } of newAnalyses.values()) {
    const tpl = report.templates.find(x => x.spec === t.specPath)!;
    report.analyses.push({
      name: a.name,
      template: t.newName,
      collaboration: group.name,
      clean: tpl.clean && !openFor(`analysis '${a.name}'`) && report.renders.some(r => r.analysis === a.name && r.equal),
    });
  }
  for (const a of selected) if (!newAnalyses.has(a.name)) report.analyses.push({ name: a.name, template: a.templateName, collaboration: '', clean: false });
  for (const e of extras.values()) {
    if (e.missing) continue;
    const where = `template '${e.legacyName}'`;
    const model = parseDocument({ text: e.m!.spec, path: e.specPath! });
    const after = analyzeDocument(model, { api: 'collaboration', profile: { profile: migrated, templatePath: e.specPath! } }).filter(serious);
    const before = analyzeDocument(parseDocument({ text: e.text!, path: 'legacy.jinjasql' }), { api: 'legacy' }).filter(serious);
    const left = new Map<string, number>();
    for (const f of before) left.set(f.code, (left.get(f.code) ?? 0) + 1);
    for (const f of after) {
      const n = left.get(f.code) ?? 0;
      if (n > 0) left.set(f.code, n - 1);
      decide(
        where,
        `${f.code} ${f.severity} at ${e.specPath}:${model.lines.positionAt(f.span.start).line + 1}: ${f.message.split('\n')[0]}`,
        n > 0 ? 'Carried over: the legacy template has the same finding; fix it before registering the spec.' : newFindingReason(f),
      );
    }
    const clean = !after.length && !openFor(where) && e.m!.equal === e.m!.compared && e.m!.compared > 0;
    report.templates.push({
      legacyName: e.legacyName,
      source: e.path!,
      name: e.m!.name,
      id: `${e.m!.name}_${DEFAULT_VERSION}`,
      spec: e.specPath!,
      clean,
      sampleRenders: { compared: e.m!.compared, equal: e.m!.equal },
    });
  }
  return done();
}

function finish(report: MigrationReport, files: OutputFile[]): MigrateResult {
  report.files = files.map(f => f.path);
  report.summary = {
    analyses: report.analyses.length,
    analysesClean: report.analyses.filter(a => a.clean).length,
    templates: report.templates.length,
    templatesClean: report.templates.filter(t => t.clean).length,
    changes: report.changes.length,
    decisions: report.decisions.length,
    fillIn: report.fillIn.length,
  };
  return { files, report };
}

const serious = (f: Finding) => f.severity === 'error' || f.severity === 'warning';

/** Why a finding only the migrated spec has needs a person. */
function newFindingReason(f: Finding): string {
  if (f.code === 'DCR303' && /does not have/.test(f.message))
    return 'The column is in no legacy policy of its owner, so the data offering does not list it (its view holds only listed columns); list it in the offering if the analysis may use it, or change the analysis.';
  return 'New in the migrated spec: the Collaboration API reads this differently from the legacy API.';
}

/** The legacy findings the migrated spec is compared with: the template's own and its analyses'. */
function legacyFindings(t: LegacyTemplate, profile: Profile): Finding[] {
  if (t.parsed.errors.length) return t.parsed.errors;
  const own = analyzeDocument(parseDocument({ text: t.text, path: 'legacy.jinjasql' }), { api: 'legacy' });
  const checks = t.analyses.flatMap(a =>
    profileRules(renderAnalysis(t.text, t.parsed, a, profile), profile, { api: 'legacy', parsed: t.parsed, source: t.text }),
  );
  return [...own, ...checks].filter(serious);
}

function groupRooms(analyses: Analysis[], profile: Profile): Group[] {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    while (parent.get(x) !== x) x = parent.get(x)!;
    return x;
  };
  for (const a of analyses) for (const r of a.cleanrooms) if (!parent.has(r)) parent.set(r, r);
  for (const a of analyses) for (const r of a.cleanrooms.slice(1)) parent.set(find(r), find(a.cleanrooms[0]!));
  const byRoot = new Map<string, string[]>();
  // Profile order keeps the output stable.
  for (const r of [...profile.cleanrooms.keys()].filter(r => parent.has(r))) byRoot.set(find(r), [...(byRoot.get(find(r)) ?? []), r]);
  return [...byRoot.values()].map(rooms => ({ name: '', rooms, analyses: [], templates: new Set() }));
}
