/**
 * The facade every front end (language server, CLI, tests) uses. Pure: text in, model and
 * findings out. Parse once per document version with `parseDocument`, then run any number
 * of features on the model.
 */
import type { Finding } from './findings.js';
import type { RuleCode } from './rules/catalog.js';
import type { Span } from './text/span.js';
import { effectiveApi, type Api, type SeverityOverride } from './settings.js';
import { sortFindings } from './findings.js';
import { LineIndex } from './text/lineIndex.js';
import { extractSources, type TemplateRegion, type DocumentKind, type SourceNotice, detectKind } from './sources/regions.js';
import { parse as parseTemplate } from './jinja/parse.js';
import { staticRules } from './rules/static.js';
import { visit } from './jinja/visit.js';
import { renderedRules, syntaxErrorsOfRender } from './rules/sqlChecks.js';
import { scopeRules } from './rules/scopes.js';
import { worksheetNameRules, specRules } from './rules/names.js';
import { toHostFinding, finding } from './rules/finding.js';
import { freeVariables } from './jinja/symbolic.js';
import type { Profile } from './profile/types.js';
import { analysesForTemplate, renderAnalysis } from './profile/analyses.js';
import { profileRules, merge as mergeProfileFindings } from './rules/profileChecks.js';
export { analyzeProfileDocument, type ProfileDocumentOptions } from './profile/document.js';
export { parseProfile } from './profile/parse.js';

export type { DocumentKind, TemplateRegion, SourceNotice };
export { detectKind };

export type { Api, SeverityOverride } from './settings.js';

/** Rules about clean room policies and aliases, which a get_sql_jinja render never meets. */
const PLAIN_JINJASQL_EXEMPT = new Set(['DCR101', 'DCR102', 'DCR103', 'DCR104', 'DCR106', 'DCR110', 'DCR111', 'DCR112', 'DCR113']);

export interface AnalyzeOptions {
  api?: Api;
  /** Per-code severity overrides, e.g. { DCR101: 'warning', DCR120: 'off' }. */
  severities?: Record<string, SeverityOverride>;
  /** False in an untrusted workspace: templates are parsed, never rendered. */
  allowRender?: boolean;
  /** Polled between phases; when it returns true the analysis stops early. */
  isCancelled?: () => boolean;
  /** The profile that governs this document, and the document's path relative to the profile's folder (forward slashes). */
  profile?: { profile: Profile; templatePath: string };
}

export interface DocumentInput {
  text: string;
  /** Path or URI, used to pick the document kind from its name. */
  path?: string;
  /** Editor language id, when known ('jinjasql', 'sql', 'yaml'). */
  languageId?: string;
}

/** Everything derived from one version of one document. Immutable once built. */
export interface DocumentModel {
  readonly text: string;
  readonly kind: DocumentKind;
  readonly lines: LineIndex;
  readonly templates: readonly ParsedRegion[];
  /** Places that should hold a checkable template but do not, or could not be read. */
  readonly notices: readonly SourceNotice[];
}

export interface ParsedRegion {
  readonly region: TemplateRegion;
  readonly parse: import('./jinja/parse.js').ParseResult;
}

export function parseDocument(input: DocumentInput): DocumentModel {
  const kind = detectKind(input.path, input.languageId, input.text);
  const { regions, notices } = extractSources(input.text, kind);
  return {
    text: input.text,
    kind,
    lines: new LineIndex(input.text),
    templates: regions.map(region => ({ region, parse: parseTemplate(region.text) })),
    notices,
  };
}

export function analyzeDocument(model: DocumentModel, options: AnalyzeOptions = {}): Finding[] {
  const findings: Finding[] = [];
  for (const n of model.notices ?? []) findings.push(finding('DCR407', n.message, n.span));
  if (model.kind === 'spec' && !model.templates.length) findings.push(...specRules(model.text, null));
  for (const { region, parse } of model.templates) {
    if (options.isCancelled?.()) break;
    // The host knows the API when it names a legacy procedure or is a Collaboration spec.
    const api = region.meta.api ?? effectiveApi(options.api, options.profile?.profile);
    const local: Finding[] = [...parse.errors];
    if (!parse.errors.length) {
      local.push(...staticRules(parse.template, region.text));
      local.push(...scopeRules(parse.template));
      if (options.allowRender !== false && !options.isCancelled?.()) {
        local.push(...renderedRules(region.text, parse, { api, ...(region.meta.templateName ? { templateName: region.meta.templateName } : {}) }));
      }
    }
    // One mistake, one code: a value bound where SQL text belongs (DCR006), an undefined
    // variable (DCR011) or a template variable written as SQL text (DCR206) also breaks the SQL
    // there, and explains it; an expression that can never render (DCR010) is not also a
    // reserved-name read (DCR112) inside it.
    dropExplained(local, 'DCR201', ['DCR006', 'DCR011', 'DCR206'], (f, e) => f.start < e.end && e.start < f.end);
    dropExplained(local, 'DCR112', ['DCR010'], (f, e) => f.start >= e.start && f.end <= e.end);
    // get_sql_jinja renders plain JinjaSQL for the caller alone: no policy is checked there and
    // policy filters are not available, so the policy and alias rules do not apply to it.
    const applies = region.meta.procedure === 'get_sql_jinja' ? (f: Finding) => !PLAIN_JINJASQL_EXEMPT.has(f.code) : () => true;
    for (const f of local) if (applies(f)) findings.push(toHostFinding(f, region.toHost));
    if (options.profile && !parse.errors.length && options.allowRender !== false && !options.isCancelled?.()) {
      findings.push(
        ...profileFindings(
          region,
          parse,
          model.kind,
          options.profile,
          local.some(f => f.code === 'DCR201'),
        ),
      );
    }
    const spec = region.meta.spec;
    if (spec) {
      const reads = parse.errors.length ? null : variableReads(parse.template).map(v => ({ name: v.name, span: spec.fromTemplate(v.span) }));
      const presets = parse.errors.length
        ? null
        : presetReferences(parse.template, region.text).map(v => ({
            name: v.name,
            span: spec.fromTemplate(v.span),
            ...(v.sqlAlias ? { sqlAlias: { name: v.sqlAlias.name, span: spec.fromTemplate(v.sqlAlias.span) } } : {}),
          }));
      for (const f of specRules(spec.text, reads, presets)) findings.push(toHostFinding(f, spec.toHost));
    } else if (model.kind === 'worksheet') findings.push(...worksheetNameRules(region, api));
  }
  return sortFindings(applySeverities(dedupe(findings), options.severities));
}

/** DCR3xx: the analyses of the profile that run this template, rendered with their arguments. */
function profileFindings(
  region: TemplateRegion,
  parse: import('./jinja/parse.js').ParseResult,
  kind: DocumentKind,
  p: { profile: Profile; templatePath: string },
  syntaxReported: boolean,
): Finding[] {
  const { profile } = p;
  const local: Finding[] = [];
  const syntax: Finding[] = [];
  for (const analysis of analysesForTemplate(profile, p.templatePath, kind === 'worksheet' ? region.meta.templateName : undefined)) {
    // A worksheet call that names a clean room of the profile sends the template to that room only.
    const room = region.meta.cleanroom;
    if (room && profile.cleanrooms.has(room) && !analysis.cleanrooms.includes(room)) continue;
    const renders = renderAnalysis(region.text, parse, analysis, profile);
    // A Collaboration spec is Collaboration whatever the profile's default says.
    local.push(
      ...profileRules(renders, profile, { api: region.meta.api === 'collaboration' ? 'collaboration' : profile.api, parsed: parse, source: region.text }),
    );
    // The analysis's own renders (one per clean room of a multi-provider analysis, and the
    // cluster's) can break where the sample renders did not: the first that does is reported.
    for (const r of syntaxReported || syntax.length ? [] : renders.renders) {
      if (r.outcome.error || r.outcome.output === null) continue;
      const where = renders.renders.length > 1 ? (r.scope === 'cluster' ? ' (in the cluster render' : ` (in clean room '${r.cleanroom}'`) : ' (in the render';
      const errs = syntaxErrorsOfRender(r.outcome, region.text).map(f => ({
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

/** Removes, in place, each `code` finding whose span `relates` to a span of an `explainedBy` finding. */
function dropExplained(local: Finding[], code: RuleCode, explainedBy: readonly RuleCode[], relates: (finding: Span, explainer: Span) => boolean): void {
  const explainers = local.filter(f => explainedBy.includes(f.code)).map(f => f.span);
  if (!explainers.length) return;
  for (let k = local.length - 1; k >= 0; k--) {
    const f = local[k]!;
    if (f.code === code && explainers.some(e => relates(f.span, e))) local.splice(k, 1);
  }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter(f => {
    const k = `${f.code}:${f.span.start}:${f.span.end}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** First read of each caller argument, in template offsets. */
function variableReads(template: import('./jinja/ast.js').TemplateNode): { name: string; span: import('./text/span.js').Span }[] {
  const free = freeVariables(template);
  const out = new Map<string, import('./text/span.js').Span>();
  visit(template.body, n => {
    if (n.kind === 'Name') {
      const name = (n as import('./jinja/ast.js').NameExpr).name;
      if (free.has(name) && !out.has(name)) out.set(name, n.span);
    }
  });
  return [...out].map(([name, span]) => ({ name, span }));
}

/**
 * `preset_tables.alias` and `preset_tables['alias']` with a constant alias, in template offsets,
 * with the SQL alias the template gives the table right after its `{{ }}` (`… }}) AS ref`).
 */
function presetReferences(template: import('./jinja/ast.js').TemplateNode, text: string): PresetRef[] {
  const out: PresetRef[] = [];
  visit(template.body, (n, parents) => {
    let ref: { name: string; span: import('./text/span.js').Span } | null = null;
    if (n.kind === 'GetAttr') {
      const g = n as import('./jinja/ast.js').GetAttrExpr;
      if (g.object.kind === 'Name' && g.object.name === 'preset_tables') ref = { name: g.attr, span: g.attrSpan };
    } else if (n.kind === 'GetItem') {
      const g = n as import('./jinja/ast.js').GetItemExpr;
      // The alias inside its quotes.
      if (g.object.kind === 'Name' && g.object.name === 'preset_tables' && g.key.kind === 'Const' && g.key.value.type === 'str')
        ref = { name: String(g.key.value.value), span: { start: g.key.span.start + 1, end: Math.max(g.key.span.start + 1, g.key.span.end - 1) } };
    }
    if (!ref) return;
    const output = [...parents].reverse().find(p => p.kind === 'Output') as { span: import('./text/span.js').Span } | undefined;
    if (output) {
      const m = /^\s*\)?\s*(?:as\s+)?([A-Za-z_][A-Za-z0-9_]*)/i.exec(text.slice(output.span.end, output.span.end + 80));
      if (m && !/^(on|where|join|inner|left|right|full|cross|natural|using|group|order|limit|union|qualify|having|lateral|,)$/i.test(m[1]!)) {
        const at = output.span.end + m[0].length - m[1]!.length;
        out.push({ ...ref, sqlAlias: { name: m[1]!, span: { start: at, end: at + m[1]!.length } } });
        return;
      }
    }
    out.push(ref);
  });
  return out;
}

type PresetRef = { name: string; span: import('./text/span.js').Span; sqlAlias?: { name: string; span: import('./text/span.js').Span } };

export function applySeverities(findings: Finding[], overrides?: Record<string, SeverityOverride>): Finding[] {
  if (!overrides) return findings;
  const out: Finding[] = [];
  for (const f of findings) {
    const o = overrides[f.code];
    if (o === 'off') continue;
    out.push(o ? { ...f, severity: o } : f);
  }
  return out;
}
