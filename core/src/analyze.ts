/**
 * The facade every front end (language server, CLI, tests) uses. Pure: text in, model and
 * findings out. Parse once per document version with `parseDocument`, then run any number
 * of features on the model. The rules run are the registry's (analysis/registry.ts); what
 * they read is computed once per template in its facts (analysis/facts.ts).
 */
import type { Finding } from './findings.js';
import { effectiveApi, type Api, type SeverityOverride } from './settings.js';
import { sortFindings } from './findings.js';
import type { DocumentModel } from './analysis/model.js';
import { factsOf } from './analysis/facts.js';
import {
  HOST_FAMILIES,
  PLAIN_JINJASQL_EXEMPT,
  SUPPRESSIONS,
  TEMPLATE_FAMILIES,
  relates,
  type Depth,
  type FamilyContext,
  type RuleFamily,
} from './analysis/registry.js';
import { specRules } from './rules/names.js';
import { toHostFinding, finding } from './rules/finding.js';
import type { Profile } from './profile/types.js';
export { analyzeProfileDocument, type ProfileDocumentOptions } from './profile/document.js';
export { parseProfile } from './profile/parse.js';
export { parseDocument, type DocumentInput, type DocumentModel, type ParsedRegion } from './analysis/model.js';
export type { Depth } from './analysis/registry.js';

export type { DocumentKind, TemplateRegion, SourceNotice } from './sources/regions.js';
export { detectKind } from './sources/regions.js';

export type { Api, SeverityOverride } from './settings.js';

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
  /**
   * 'full' (the default): every rule. 'quick': the first answer after an edit, from one
   * render (analysis/registry.ts says which families wait for the full pass).
   */
  depth?: Depth;
  /** Sees each family's findings as it runs (the registry test checks codes against declarations). */
  onFamily?: (family: RuleFamily, findings: readonly Finding[]) => void;
}

export function analyzeDocument(model: DocumentModel, options: AnalyzeOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const depth = options.depth ?? 'full';
  const rendering = options.allowRender !== false;
  for (const n of model.notices ?? []) findings.push(finding('DCR407', n.message, n.span));
  if (model.kind === 'spec' && !model.templates.length) findings.push(...specRules(model.text, null));
  const runs = (f: RuleFamily, parsed: boolean) =>
    (depth === 'full' || !f.fullOnly) &&
    (f.needs === 'always' || (parsed && (f.needs === 'parse' || (rendering && (f.needs === 'render' || (f.needs === 'profile' && !!options.profile))))));
  for (const parsed of model.templates) {
    if (options.isCancelled?.()) break;
    const facts = factsOf(parsed);
    const { region, parse } = parsed;
    // The host knows the API when it names a legacy procedure or is a Collaboration spec.
    const api = region.meta.api ?? effectiveApi(options.api, options.profile?.profile);
    const clean = !parse.errors.length;
    const local: Finding[] = [];
    const ctx = (): FamilyContext => ({
      facts,
      kind: model.kind,
      api,
      depth,
      earlier: local,
      ...(options.profile ? { profile: options.profile } : {}),
    });
    for (const family of TEMPLATE_FAMILIES) {
      if (!runs(family, clean)) continue;
      if (family.needs !== 'always' && family.needs !== 'parse' && options.isCancelled?.()) break;
      const out = family.depthFree ? facts.findingsOnce(`${family.id}|${api}`, () => family.run(ctx())) : family.run(ctx());
      options.onFamily?.(family, out);
      local.push(...out);
    }
    for (const s of SUPPRESSIONS) dropExplained(local, s);
    // get_sql_jinja renders plain JinjaSQL for the caller alone: no policy is checked there and
    // policy filters are not available, so the policy and alias rules do not apply to it.
    const plain = region.meta.procedure === 'get_sql_jinja';
    for (const f of local) if (!plain || !PLAIN_JINJASQL_EXEMPT.has(f.code)) findings.push(toHostFinding(f, region.toHost));
    for (const family of HOST_FAMILIES) {
      if (!runs(family, clean)) continue;
      if (family.needs === 'profile' && options.isCancelled?.()) continue;
      const out = family.run(ctx());
      options.onFamily?.(family, out);
      findings.push(...out);
    }
  }
  return sortFindings(applySeverities(dedupe(findings), options.severities));
}

/** Removes, in place, each finding the suppression drops because another finding explains its place. */
function dropExplained(local: Finding[], s: (typeof SUPPRESSIONS)[number]): void {
  const explainers = local.filter(f => s.explainedBy.includes(f.code)).map(f => f.span);
  if (!explainers.length) return;
  for (let k = local.length - 1; k >= 0; k--) {
    const f = local[k]!;
    if (f.code === s.drop && explainers.some(e => relates(s.relation, f.span, e))) local.splice(k, 1);
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
