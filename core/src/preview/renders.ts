/**
 * The renders of one template of a document, as the clean room would produce them: with an
 * analysis of the profile (one render per clean room, plus the cluster for a multi-provider
 * analysis), else with given arguments or readable sample ones. The live preview and
 * `dcr render` both call this, so the editor and the CLI cannot disagree on a render or on
 * which findings come with it.
 */
import type { DocumentModel, ParsedRegion } from '../analysis/model.js';
import type { Finding } from '../findings.js';
import { renderString, type RenderOutcome } from '../jinja/index.js';
import { parseArguments } from '../jinja/runtime/json.js';
import { PyDict, type PyValue } from '../jinja/runtime/values.js';
import { analysesForTemplate } from '../profile/analyses.js';
import { factsOf } from '../analysis/facts.js';
import type { Profile, ProfileAnalysis } from '../profile/types.js';
import { profileRules } from '../rules/profileChecks.js';
import type { Span } from '../text/span.js';
import { qualifiedTwice, sampleArguments } from './sampleArgs.js';

/** Where the arguments come from when no analysis of the profile runs the template. */
export type ArgumentsInput =
  /** A JSON object of arguments (an args file, `--args`): its text, or why it could not be read. */
  | { kind: 'json'; label: string; text: string }
  | { kind: 'json'; label: string; error: string }
  /** Readable stand-ins (`p.STATUS`), labelled as samples. */
  | { kind: 'sample' }
  /** No arguments at all. */
  | { kind: 'none' };

export interface RenderRequest {
  model: DocumentModel;
  /** Which embedded template (document order). Default: the one the analysis names, else the first. */
  template?: number;
  profile?: { profile: Profile; templatePath: string } | null;
  /** Use analyses of the profile at all (the CLI renders an analysis only when asked). */
  useAnalyses: boolean;
  /** The analysis to render; default: the first analysis that runs the template. */
  analysis?: string;
  /** Render `analysis` even when the profile does not say it runs this template (the user named it). */
  pin?: boolean;
  /** Only this clean room's render, when the analysis has one. */
  cleanroom?: string;
  fallback: ArgumentsInput;
  /**
   * Judge each render (syntax and render errors, the profile's policy checks) into its
   * section's `findings`. Default true; the live preview shows the editor's diagnostics
   * instead and skips this.
   */
  withFindings?: boolean;
}

export interface RenderSection {
  scope: 'cluster' | 'cleanroom' | 'sample' | 'arguments';
  cleanroom: string | null;
  /** The heading line, e.g. `-- cluster: Room 1, Room 2`. */
  title: string;
  outcome: RenderOutcome | null;
  /** Shown instead of a render (e.g. the arguments are not a JSON object). */
  problem?: string;
  /** Syntax and render errors, and the profile's policy checks for this render (host offsets). */
  findings: Finding[];
}

export interface TemplateRenders {
  /** Index of the rendered template in the document; -1 when the document has none. */
  index: number;
  region: ParsedRegion | null;
  /** Analyses of the profile that run this template (names, for pickers). */
  analyses: string[];
  analysis: ProfileAnalysis | null;
  /** True when `cleanroom` narrowed the renders to one room. */
  narrowed: boolean;
  /** Where the arguments came from, for a header: 'analysis', 'json', 'sample', 'none', or a problem. */
  argumentsNote: string;
  sections: RenderSection[];
}

export function renderTemplate(req: RenderRequest): TemplateRenders {
  const { model } = req;
  const analysesOf = (r: ParsedRegion) =>
    req.useAnalyses && req.profile ? analysesForTemplate(req.profile.profile, req.profile.templatePath, r.region.meta.templateName) : [];
  let index = req.template ?? 0;
  if (req.template === undefined && req.analysis !== undefined && req.profile) {
    const named = req.profile.profile.analyses.get(req.analysis);
    const i = named ? model.templates.findIndex(t => t.region.meta.templateName === named.templateName) : -1;
    if (i >= 0) index = i;
  }
  const region = model.templates[index] ?? null;
  const empty: TemplateRenders = { index: region ? index : -1, region, analyses: [], analysis: null, narrowed: false, argumentsNote: 'none', sections: [] };
  if (!region) return empty;

  const candidates = analysesOf(region);
  const named = req.analysis !== undefined ? req.profile?.profile.analyses.get(req.analysis) : undefined;
  if (req.pin && named && !candidates.includes(named)) candidates.unshift(named);
  const analysis = candidates.find(a => a.name === req.analysis) ?? candidates[0] ?? null;
  const result: TemplateRenders = { ...empty, analyses: candidates.map(a => a.name), analysis };
  if (analysis && req.profile) {
    const { profile } = req.profile;
    let renders = factsOf(region).renders(analysis, profile).renders;
    if (req.cleanroom !== undefined && renders.some(r => r.cleanroom === req.cleanroom)) {
      renders = renders.filter(r => r.cleanroom === req.cleanroom);
      result.narrowed = true;
    }
    const multi = analysis.cleanrooms.length > 1;
    result.argumentsNote = 'analysis';
    const judge = req.withFindings !== false;
    result.sections = renders.map(r => {
      const checks = !judge
        ? []
        : profileRules({ analysis, renders: [r] }, profile, { api: profile.api, parsed: region.parse, source: region.region.text })
            // A render error is reported with the other render problems.
            .filter(f => f.code !== 'DCR010')
            .map(f => ({ ...f, span: region.region.toHost(f.span) }));
      if (multi && r.scope === 'cleanroom')
        for (const f of checks) f.message = f.message.replace(/for analysis '([^']*)'/, `for analysis '$1' (in clean room '${r.cleanroom}')`);
      return {
        scope: r.scope,
        cleanroom: r.cleanroom,
        title: r.scope === 'cluster' ? `-- cluster: ${analysis.cleanrooms.join(', ')}` : `-- cleanroom: ${r.cleanroom ?? ''}`,
        outcome: r.outcome,
        findings: judge ? [...renderProblems(r.outcome, region.region.toHost), ...checks] : [],
      };
    });
    return result;
  }
  result.sections = [fallbackSection(region, req.fallback, result)];
  return result;
}

function fallbackSection(region: ParsedRegion, input: ArgumentsInput, result: TemplateRenders): RenderSection {
  const problem = (title: string, note: string, text: string): RenderSection => {
    result.argumentsNote = note;
    return { title, scope: 'arguments', cleanroom: null, outcome: null, problem: text, findings: [] };
  };
  const section = (scope: RenderSection['scope'], title: string, outcome: RenderOutcome | null): RenderSection => ({
    scope,
    cleanroom: null,
    title,
    outcome,
    findings: outcome ? renderProblems(outcome, region.region.toHost) : [],
  });
  switch (input.kind) {
    case 'none':
      result.argumentsNote = 'none';
      return section('arguments', '-- arguments', render(region, new PyDict()));
    case 'sample': {
      result.argumentsNote = 'sample';
      const args = sampleArguments(region.parse);
      let outcome = render(region, args);
      const bare = qualifiedTwice(args, outcome.partial);
      if (bare.size) outcome = render(region, sampleArguments(region.parse, bare));
      return section('sample', '-- sample arguments', outcome);
    }
    case 'json': {
      if ('error' in input) return problem('-- arguments', `${input.label} could not be used.`, input.error);
      let args: PyValue;
      try {
        args = parseArguments(input.text);
      } catch (err) {
        return problem(
          '-- arguments',
          `${input.label} is not valid JSON.`,
          `${input.label} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
      if (!(args instanceof PyDict))
        return problem('-- arguments', `${input.label} must hold a JSON object.`, `${input.label} must hold a JSON object of arguments`);
      result.argumentsNote = `from ${input.label}`;
      return section('arguments', `-- arguments: ${input.label}`, render(region, args));
    }
  }
}

function render(region: ParsedRegion, args: PyDict): RenderOutcome {
  return renderString(region.region.text, args, { jinjasql: true, parsed: region.parse });
}

/** Syntax errors and the render error of one render, in host offsets. */
function renderProblems(outcome: RenderOutcome, toHost: (s: Span) => Span): Finding[] {
  const findings: Finding[] = outcome.syntaxErrors.map(f => ({ ...f, span: toHost(f.span) }));
  if (outcome.error && !outcome.syntaxErrors.length) {
    const span = outcome.error.span ?? { start: 0, end: 0 };
    findings.push({ code: 'DCR010', severity: 'error', message: `${outcome.error.type}: ${outcome.error.message}`, span: toHost(span) });
  }
  return findings;
}
