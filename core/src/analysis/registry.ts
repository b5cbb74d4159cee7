/**
 * Every rule family the engine runs on a document, in the order it runs them, with the codes
 * it reports (each code's docs page is docs/rules/<code>.md). analyzeDocument walks this list
 * and nothing else; test/unit/registry.test.ts checks that every code of the catalog has a
 * family and that no family reports a code it does not declare.
 *
 * A family reads the template's facts (analysis/facts.ts): the parse, the symbolic renders,
 * the renders of the profile's analyses. It never renders or parses on its own.
 */
import type { Finding } from '../findings.js';
import type { DocumentKind } from '../sources/regions.js';
import type { Api } from '../settings.js';
import type { Profile } from '../profile/types.js';
import type { RuleCode } from '../rules/catalog.js';
import type { TemplateFacts } from './facts.js';
import type { Span } from '../text/span.js';
import { staticRules } from '../rules/static.js';
import { scopeRules } from '../rules/scopes.js';
import { flowRules } from '../rules/flow.js';
import { legacyAliasRule } from '../migrate/legacyConstructs.js';
import { sqlRules, templateKind } from '../rules/sqlChecks.js';
import { specRules, worksheetNameRules } from '../rules/names.js';
import { analysesForTemplate } from '../profile/analyses.js';
import { profileRules, merge as mergeProfileFindings } from '../rules/profileChecks.js';
import { finding, toHostFinding } from '../rules/finding.js';

/**
 * How much of the analysis a pass runs. 'quick': what one render shows (parse, static rules,
 * the first symbolic render with its policy flow and SQL), for the first answer after a
 * keystroke; 'full': every list shape and the profile's analyses.
 */
export type Depth = 'quick' | 'full';

/** Symbolic renders a quick pass makes: the docs' usual shape (every list with two entries). */
export const QUICK_SHAPES = 1;

export interface FamilyContext {
  facts: TemplateFacts;
  kind: DocumentKind;
  api: Api;
  depth: Depth;
  profile?: { profile: Profile; templatePath: string };
  /** What the families before this one reported for this template (template offsets, after the one-mistake-one-code pass for host families). */
  earlier: readonly Finding[];
}

export interface RuleFamily {
  id: string;
  /** Where the family's rules live (for readers; the registry test reads it too). */
  module: string;
  codes: readonly RuleCode[];
  /**
   * 'parse': runs on a template that parsed; 'render': also needs rendering to be allowed
   * (a trusted workspace); 'profile': also needs a profile that governs the document.
   * Jinja syntax errors run always.
   */
  needs: 'always' | 'parse' | 'render' | 'profile';
  /** Runs only in the full pass. */
  fullOnly?: boolean;
  /** Reports the same at every depth (it reads no list shape but the first): computed once per template and API. */
  depthFree?: boolean;
  /** 'template': findings in template offsets (moved to the host by the runner); 'host': already in host offsets. */
  offsets: 'template' | 'host';
  run(ctx: FamilyContext): Finding[];
}

const symbolicOf = (ctx: FamilyContext) => ctx.facts.symbolic(ctx.depth === 'quick' ? QUICK_SHAPES : undefined);

/** The first symbolic render that rendered: SQL rules read it (its shape is the docs' usual one). */
function firstRendered(ctx: FamilyContext) {
  return symbolicOf(ctx).renders.find(r => !r.outcome.error && r.outcome.output !== null);
}

export const TEMPLATE_FAMILIES: readonly RuleFamily[] = [
  {
    id: 'jinja-syntax',
    depthFree: true,
    module: 'core/src/jinja/parse.ts',
    codes: ['DCR001'],
    needs: 'always',
    offsets: 'template',
    run: ctx => [...ctx.facts.parse.errors],
  },
  {
    id: 'jinjasql-usage',
    depthFree: true,
    module: 'core/src/rules/static.ts',
    codes: ['DCR002', 'DCR003', 'DCR004', 'DCR006', 'DCR007', 'DCR008', 'DCR104', 'DCR112'],
    needs: 'parse',
    offsets: 'template',
    run: ctx => staticRules(ctx.facts.template, ctx.facts.text),
  },
  {
    id: 'scopes',
    depthFree: true,
    module: 'core/src/rules/scopes.ts',
    codes: ['DCR011'],
    needs: 'parse',
    offsets: 'template',
    run: ctx => scopeRules(ctx.facts.template),
  },
  {
    id: 'policy-flow',
    module: 'core/src/rules/flow.ts',
    codes: ['DCR005', 'DCR009', 'DCR010', 'DCR101', 'DCR102', 'DCR103', 'DCR105', 'DCR106', 'DCR110', 'DCR111', 'DCR113'],
    needs: 'render',
    offsets: 'template',
    run: ctx => flowRules(ctx.facts.text, ctx.facts.parse, { api: ctx.api, symbolic: symbolicOf(ctx) }),
  },
  {
    // A migration hint, read from every list shape's aliases: it can wait for the full pass.
    id: 'alias-numbering',
    module: 'core/src/migrate/legacyConstructs.ts',
    codes: ['DCR114'],
    needs: 'render',
    fullOnly: true,
    offsets: 'template',
    run: ctx => legacyAliasRule(ctx.facts.text, ctx.facts.parse, ctx.api, symbolicOf(ctx)),
  },
  {
    id: 'rendered-sql',
    depthFree: true,
    module: 'core/src/rules/sqlChecks.ts',
    codes: ['DCR200', 'DCR201', 'DCR202', 'DCR203', 'DCR204', 'DCR205', 'DCR206'],
    needs: 'render',
    offsets: 'template',
    run: ctx => {
      const ok = firstRendered(ctx);
      if (!ok) return [];
      const templateName = ctx.facts.region.meta.templateName;
      try {
        return sqlRules(ok.outcome, {
          kind: templateKind(ok.outcome.output!, templateName, ctx.api),
          api: ctx.api,
          source: ctx.facts.text,
          ...(templateName ? { templateName } : {}),
        });
      } catch (e) {
        // The engine reports, it never throws: a checker failure is "could not verify".
        return [finding('DCR200', `Could not verify the rendered SQL: the SQL checker failed (${(e as Error).message}).`, { start: 0, end: 0 })];
      }
    },
  },
  {
    // A template can be right for two list entries and broken for one or three: when the
    // first render parses, one render per other list length is checked too, and the first
    // one that breaks is reported (one mistake shows in every render, at different tokens).
    id: 'rendered-sql-other-shapes',
    module: 'core/src/rules/sqlChecks.ts',
    codes: ['DCR201'],
    needs: 'render',
    fullOnly: true,
    offsets: 'template',
    run: ctx => {
      const ok = firstRendered(ctx);
      if (!ok || ctx.earlier.some(f => f.code === 'DCR201')) return [];
      const lengths = new Set([ok.listLength]);
      try {
        for (const r of symbolicOf(ctx).renders) {
          if (r === ok || r.outcome.error || r.outcome.output === null || lengths.has(r.listLength)) continue;
          lengths.add(r.listLength);
          const errors = ctx.facts.syntaxErrorsOf(r.outcome);
          if (errors.length) return errors;
        }
      } catch {
        // The first render's check already said what it could; the others add nothing then.
      }
      return [];
    },
  },
];

/**
 * One mistake, one code: a finding of `drop` is removed when a finding of `explainedBy`
 * already explains that place. `relation`: the spans overlap, the dropped one lies inside
 * the explaining one, or they are the same span.
 */
export interface Suppression {
  drop: RuleCode;
  explainedBy: readonly RuleCode[];
  relation: 'overlaps' | 'inside' | 'same';
  why: string;
}

export const SUPPRESSIONS: readonly Suppression[] = [
  { drop: 'DCR201', explainedBy: ['DCR105'], relation: 'same', why: 'a bound value where a name goes is DCR105’s to explain' },
  {
    drop: 'DCR201',
    explainedBy: ['DCR006', 'DCR011', 'DCR206'],
    relation: 'overlaps',
    why: 'a value bound where SQL text belongs, an undefined variable or a template variable written as SQL text also breaks the SQL there, and explains it',
  },
  { drop: 'DCR112', explainedBy: ['DCR010'], relation: 'inside', why: 'an expression that can never render is not also a reserved-name read inside it' },
];

export function relates(relation: Suppression['relation'], f: Span, e: Span): boolean {
  if (relation === 'same') return f.start === e.start && f.end === e.end;
  if (relation === 'inside') return f.start >= e.start && f.end <= e.end;
  return f.start < e.end && e.start < f.end;
}

/** Rules about clean room policies and aliases, which a get_sql_jinja render never meets. */
export const PLAIN_JINJASQL_EXEMPT: ReadonlySet<RuleCode> = new Set<RuleCode>([
  'DCR101',
  'DCR102',
  'DCR103',
  'DCR104',
  'DCR106',
  'DCR110',
  'DCR111',
  'DCR112',
  'DCR113',
]);

/** Families that read the host document around the template (after the template's own findings). */
export const HOST_FAMILIES: readonly RuleFamily[] = [
  {
    id: 'profile-analyses',
    module: 'core/src/rules/profileChecks.ts',
    codes: ['DCR010', 'DCR201', 'DCR302', 'DCR303', 'DCR304', 'DCR305', 'DCR306'],
    needs: 'profile',
    fullOnly: true,
    offsets: 'host',
    run: profileFindings,
  },
  {
    id: 'spec-fields',
    module: 'core/src/rules/names.ts',
    codes: ['DCR401', 'DCR404', 'DCR405', 'DCR406', 'DCR408'],
    needs: 'always',
    offsets: 'host',
    run: ctx => {
      const { facts } = ctx;
      const spec = facts.region.meta.spec;
      if (!spec) return [];
      const clean = !facts.parse.errors.length;
      const reads = clean ? facts.variableReads().map(v => ({ name: v.name, span: spec.fromTemplate(v.span) })) : null;
      const presets = clean
        ? facts.presetReferences().map(v => ({
            name: v.name,
            span: spec.fromTemplate(v.span),
            ...(v.sqlAlias ? { sqlAlias: { name: v.sqlAlias.name, span: spec.fromTemplate(v.sqlAlias.span) } } : {}),
          }))
        : null;
      return specRules(spec.text, reads, presets).map(f => toHostFinding(f, spec.toHost));
    },
  },
  {
    id: 'worksheet-names',
    module: 'core/src/rules/names.ts',
    codes: ['DCR401', 'DCR402', 'DCR403'],
    needs: 'always',
    offsets: 'host',
    run: ctx => (ctx.kind === 'worksheet' && !ctx.facts.region.meta.spec ? worksheetNameRules(ctx.facts.region, ctx.api) : []),
  },
];

/** DCR3xx: the analyses of the profile that run this template, rendered with their arguments. */
function profileFindings(ctx: FamilyContext): Finding[] {
  const { facts } = ctx;
  const { region, parse } = facts;
  const { profile, templatePath } = ctx.profile!;
  const syntaxReported = ctx.earlier.some(f => f.code === 'DCR201');
  const local: Finding[] = [];
  const syntax: Finding[] = [];
  for (const analysis of analysesForTemplate(profile, templatePath, ctx.kind === 'worksheet' ? region.meta.templateName : undefined)) {
    // A worksheet call that names a clean room of the profile sends the template to that room only.
    const room = region.meta.cleanroom;
    if (room && profile.cleanrooms.has(room) && !analysis.cleanrooms.includes(room)) continue;
    const renders = facts.renders(analysis, profile);
    // A Collaboration spec is Collaboration whatever the profile's default says.
    local.push(
      ...profileRules(renders, profile, { api: region.meta.api === 'collaboration' ? 'collaboration' : profile.api, parsed: parse, source: region.text }),
    );
    // The analysis's own renders (one per clean room of a multi-provider analysis, and the
    // cluster's) can break where the sample renders did not: the first that does is reported.
    for (const r of syntaxReported || syntax.length ? [] : renders.renders) {
      if (r.outcome.error || r.outcome.output === null) continue;
      const where = renders.renders.length > 1 ? (r.scope === 'cluster' ? ' (in the cluster render' : ` (in clean room '${r.cleanroom}'`) : ' (in the render';
      const errs = facts.syntaxErrorsOf(r.outcome).map(f => ({
        ...f,
        message: `${f.message.replace(/\.$/, '')}${where} of analysis '${analysis.name}').`,
      }));
      if (!errs.length) continue;
      syntax.push(...errs);
      break;
    }
  }
  return [...mergeProfileFindings(local), ...syntax].map(f => {
    const moved = toHostFinding(f, region.toHost);
    // In a worksheet the template's name in the call is where "not installed" belongs.
    if (f.code === 'DCR306' && region.meta.templateNameSpan) moved.span = region.meta.templateNameSpan;
    return moved;
  });
}

/** Findings about the document as a whole, before its templates'. */
export interface DocumentFamily {
  id: string;
  module: string;
  codes: readonly RuleCode[];
}

export const DOCUMENT_FAMILIES: readonly DocumentFamily[] = [
  // A place that should hold a checkable template but does not (analyze.ts reports the notices).
  { id: 'template-sources', module: 'core/src/sources/regions.ts', codes: ['DCR407'] },
  // A template spec with no template in it: its fields alone.
  { id: 'spec-fields-only', module: 'core/src/rules/names.ts', codes: ['DCR401', 'DCR404', 'DCR405', 'DCR406', 'DCR408'] },
  // cleanrooms.json itself (analyzeProfileDocument).
  {
    id: 'profile-document',
    module: 'core/src/profile/document.ts',
    codes: ['DCR010', 'DCR201', 'DCR301', 'DCR302', 'DCR303', 'DCR304', 'DCR305', 'DCR306', 'DCR307', 'DCR308', 'DCR309', 'DCR310'],
  },
];
