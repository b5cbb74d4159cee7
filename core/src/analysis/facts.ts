/**
 * What the rules read about one template of one document version, each computed once: the
 * caller's variables, the symbolic renders, the renders of each analysis of the profile and
 * the SQL syntax errors of a render. Rules, the preview and a second (complete) pass over the
 * same version ask the facts instead of rendering or walking again.
 *
 * Facts belong to a ParsedRegion (an immutable part of a DocumentModel), so they live exactly
 * as long as the model that a front end keeps for that version.
 */
import type { ParsedRegion } from './model.js';
import type * as A from '../jinja/ast.js';
import type { RenderOutcome } from '../jinja/index.js';
import type { ParseResult } from '../jinja/parse.js';
import { freeVariables, renderSymbolic, type SymbolicRender, type SymbolicResult } from '../jinja/symbolic.js';
import { visit } from '../jinja/visit.js';
import { renderAnalysis } from '../profile/analyses.js';
import type { AnalysisRenders, Profile, ProfileAnalysis } from '../profile/types.js';
import type { Finding } from '../findings.js';
import { syntaxErrorsOfRender } from '../rules/sqlChecks.js';
import type { TemplateRegion } from '../sources/regions.js';
import type { Span } from '../text/span.js';

/** `preset_tables.alias` read in the template, with the SQL alias the template gives that table. */
export interface PresetRef {
  name: string;
  span: Span;
  sqlAlias?: { name: string; span: Span };
}

export class TemplateFacts {
  private readonly symbolicRenders = new Map<string, SymbolicRender>();
  private readonly symbolicResults = new Map<number, SymbolicResult>();
  private readonly analysisRenders = new WeakMap<ProfileAnalysis, AnalysisRenders>();
  private readonly syntaxErrors = new WeakMap<RenderOutcome, Finding[]>();
  private reads: { name: string; span: Span }[] | undefined;
  private readonly results = new Map<string, Finding[]>();
  private presets: PresetRef[] | undefined;

  constructor(
    readonly region: TemplateRegion,
    readonly parse: ParseResult,
  ) {}

  get text(): string {
    return this.region.text;
  }

  get template(): A.TemplateNode {
    return this.parse.template;
  }

  /**
   * A rule family's findings that do not depend on the pass (quick or full), by family and
   * API: the full pass that follows a quick one reuses them. Callers copy, never mutate.
   */
  findingsOnce(key: string, compute: () => Finding[]): readonly Finding[] {
    let r = this.results.get(key);
    if (!r) this.results.set(key, (r = compute()));
    return r;
  }

  /** The names the caller supplies (read before any assignment). */
  freeVariables(): ReadonlySet<string> {
    return freeVariables(this.parse.template);
  }

  /**
   * The symbolic renders: all list shapes (`maxRenders` undefined), or only the first ones for
   * a quick pass. Each shape is rendered once whatever the number of calls.
   */
  symbolic(maxRenders?: number): SymbolicResult {
    const key = maxRenders ?? 0;
    let r = this.symbolicResults.get(key);
    if (!r) {
      r = renderSymbolic(this.text, this.parse, { memo: this.symbolicRenders, ...(maxRenders ? { maxRenders } : {}) });
      this.symbolicResults.set(key, r);
    }
    return r;
  }

  /** The renders of one analysis of the profile (one per clean room, plus the cluster's). */
  renders(analysis: ProfileAnalysis, profile: Profile): AnalysisRenders {
    let r = this.analysisRenders.get(analysis);
    if (!r) {
      r = renderAnalysis(this.text, this.parse, analysis, profile);
      this.analysisRenders.set(analysis, r);
    }
    return r;
  }

  /** DCR201 of one render of this template, in template offsets. */
  syntaxErrorsOf(outcome: RenderOutcome): Finding[] {
    let r = this.syntaxErrors.get(outcome);
    if (!r) {
      r = syntaxErrorsOfRender(outcome, this.text);
      this.syntaxErrors.set(outcome, r);
    }
    return r;
  }

  /** First read of each caller argument, in template offsets. */
  variableReads(): { name: string; span: Span }[] {
    if (this.reads) return this.reads;
    const free = this.freeVariables();
    const out = new Map<string, Span>();
    visit(this.parse.template.body, n => {
      if (n.kind === 'Name') {
        const name = (n as A.NameExpr).name;
        if (free.has(name) && !out.has(name)) out.set(name, n.span);
      }
    });
    return (this.reads = [...out].map(([name, span]) => ({ name, span })));
  }

  /**
   * `preset_tables.alias` and `preset_tables['alias']` with a constant alias, in template
   * offsets, with the SQL alias the template gives the table right after its `{{ }}`
   * (`… }}) AS ref`).
   */
  presetReferences(): PresetRef[] {
    if (this.presets) return this.presets;
    const out: PresetRef[] = [];
    const text = this.text;
    visit(this.parse.template.body, (n, parents) => {
      let ref: { name: string; span: Span } | null = null;
      if (n.kind === 'GetAttr') {
        const g = n as A.GetAttrExpr;
        if (g.object.kind === 'Name' && g.object.name === 'preset_tables') ref = { name: g.attr, span: g.attrSpan };
      } else if (n.kind === 'GetItem') {
        const g = n as A.GetItemExpr;
        // The alias inside its quotes.
        if (g.object.kind === 'Name' && g.object.name === 'preset_tables' && g.key.kind === 'Const' && g.key.value.type === 'str')
          ref = { name: String(g.key.value.value), span: { start: g.key.span.start + 1, end: Math.max(g.key.span.start + 1, g.key.span.end - 1) } };
      }
      if (!ref) return;
      const output = [...parents].reverse().find(p => p.kind === 'Output') as { span: Span } | undefined;
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
    return (this.presets = out);
  }
}

const factsByRegion = new WeakMap<ParsedRegion, TemplateFacts>();

/** The facts of one parsed template; the same object for every caller of the same model. */
export function factsOf(parsed: ParsedRegion): TemplateFacts {
  let f = factsByRegion.get(parsed);
  if (!f) {
    f = new TemplateFacts(parsed.region, parsed.parse);
    factsByRegion.set(parsed, f);
  }
  return f;
}
