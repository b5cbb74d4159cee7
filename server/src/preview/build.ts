/**
 * Builds the preview of one template region: pure (model and inputs in, text and sections
 * out), so the server handler only gathers inputs and the tests can call it directly.
 * The rendering itself is core's (renderString, or the profile's renderAnalysis).
 */
import type { DocumentModel, ParsedRegion } from '../../../core/src/analyze.js';
import { renderString, sqlLiteral, type RenderOutcome } from '../../../core/src/jinja/index.js';
import { parseArguments } from '../../../core/src/jinja/runtime/json.js';
import { PyDict, type PyValue } from '../../../core/src/jinja/runtime/values.js';
import type { Span } from '../../../core/src/text/span.js';
import type { AnalysisRenders, Profile, ProfileAnalysis } from '../../../core/src/profile/types.js';
import type { PreviewOptions, PreviewResult, PreviewSection, PreviewSegment } from '../shared/preview.js';
import { qualifiedTwice, sampleArguments } from './sampleArgs.js';

/** The profile engine's entry points (core/src/profile), injected so the preview does not own them. */
export interface ProfileEngine {
  analysesForTemplate(profile: Profile, templatePath: string, templateName?: string): ProfileAnalysis[];
  renderAnalysis(source: string, parsed: ParsedRegion['parse'], analysis: ProfileAnalysis, profile: Profile): AnalysisRenders;
}

export interface ProfileInput {
  profile: Profile;
  /** How the header names the profile file (e.g. its workspace-relative path). */
  label: string;
  templatePath: string;
  engine: ProfileEngine;
}

/** The `<template>.args.json` beside the template: its text, or why it could not be read. */
export type ArgsFileInput = { label: string; text: string } | { label: string; error: string };

export interface PreviewInputs {
  model: DocumentModel;
  version: number;
  options: PreviewOptions;
  /** The template's file name, for the header. */
  name: string;
  trusted: boolean;
  profile: ProfileInput | null;
  /** Null: no args file exists; `suggested` is the name to tell the user about. */
  argsFile: ArgsFileInput | null;
  suggestedArgsFile: string;
}

export const RESTRICTED_MESSAGE = 'Rendering is off in Restricted Mode: trust this workspace to preview the rendered SQL.';

interface Render {
  title: string;
  scope: PreviewSection['scope'];
  cleanroom: string | null;
  outcome: RenderOutcome | null;
  /** Shown instead of a render (e.g. the args file is not valid JSON). */
  problem?: string;
}

export function buildPreview(inputs: PreviewInputs): PreviewResult {
  const { model, version, options } = inputs;
  const header = [`-- Rendered SQL of ${inputs.name} (read-only preview; follows the template as you type)`];
  const base = { version, header, analyses: [] as string[], analysis: null as string | null, cleanrooms: [] as string[] };
  if (!inputs.trusted) {
    header.push(`-- ${RESTRICTED_MESSAGE}`);
    return compose({ ...base, renders: [] }, options);
  }
  const index = options.template ?? 0;
  const region = model.templates[index];
  if (!region) {
    header.push(model.templates.length ? `-- This document has no template number ${index + 1}.` : '-- No clean room template found in this document.');
    return compose({ ...base, renders: [] }, options);
  }
  if (model.templates.length > 1) header.push(`-- Template ${index + 1} of ${model.templates.length}: ${region.region.label}`);

  const analyses = inputs.profile
    ? inputs.profile.engine.analysesForTemplate(inputs.profile.profile, inputs.profile.templatePath, region.region.meta.templateName)
    : [];
  base.analyses = analyses.map(a => a.name);
  const analysis = analyses.find(a => a.name === options.analysis) ?? analyses[0];
  let renders: Render[];
  if (inputs.profile && analysis) {
    renders = profileRenders(inputs.profile, analysis, region, header, options);
    base.analysis = analysis.name;
    base.cleanrooms = [...analysis.cleanrooms];
  } else {
    renders = [argumentRender(inputs, region, header)];
  }
  header.push(
    options.bindMode === 'placeholders'
      ? '-- Binds: `?` placeholders, with the bound values listed after each render.'
      : '-- Binds: inlined as SQL literals (as get_sql_jinja shows them).',
  );
  if (region.parse.errors.length) header.push('-- The template has syntax errors: fix them to see the SQL (see the Problems view).');
  return toHostSegments(compose({ ...base, renders }, options), region.region.toHost);
}

function profileRenders(input: ProfileInput, analysis: ProfileAnalysis, region: ParsedRegion, header: string[], options: PreviewOptions): Render[] {
  header.push(`-- Analysis: "${analysis.name}" from ${input.label}`);
  const rooms = analysis.cleanrooms;
  if (rooms.length > 1) header.push(`-- Clean rooms: ${rooms.join(', ')} (multi-provider: the cluster render, then one per clean room with only its source_table entries)`);
  else header.push(`-- Clean room: ${rooms[0] ?? '(none listed)'}`);
  const result = input.engine.renderAnalysis(region.region.text, region.parse, analysis, input.profile);
  let renders = result.renders;
  if (options.cleanroom !== undefined && renders.some(r => r.cleanroom === options.cleanroom)) {
    renders = renders.filter(r => r.cleanroom === options.cleanroom);
    header.push(`-- Showing only clean room ${options.cleanroom} (Clean Room: Choose Analysis or Clean Room to show all).`);
  }
  return renders.map(r => ({
    title: r.scope === 'cluster' ? `-- cluster: ${rooms.join(', ')}` : `-- cleanroom: ${r.cleanroom ?? ''}`,
    scope: r.scope,
    cleanroom: r.cleanroom,
    outcome: r.outcome,
  }));
}

function argumentRender(inputs: PreviewInputs, region: ParsedRegion, header: string[]): Render {
  if (inputs.profile) header.push(`-- No analysis in ${inputs.profile.label} uses this template.`);
  const file = inputs.argsFile;
  if (file && 'error' in file) {
    header.push(`-- Arguments: ${file.label} could not be used.`);
    return { title: '-- arguments', scope: 'arguments', cleanroom: null, outcome: null, problem: file.error };
  }
  if (file) {
    let args: PyValue;
    try {
      args = parseArguments(file.text);
    } catch (err) {
      header.push(`-- Arguments: ${file.label} is not valid JSON.`);
      return { title: '-- arguments', scope: 'arguments', cleanroom: null, outcome: null, problem: `${file.label}: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (!(args instanceof PyDict)) {
      header.push(`-- Arguments: ${file.label} must hold a JSON object.`);
      return { title: '-- arguments', scope: 'arguments', cleanroom: null, outcome: null, problem: `${file.label} must hold a JSON object of arguments` };
    }
    header.push(`-- Arguments: from ${file.label}`);
    return { title: `-- arguments: ${file.label}`, scope: 'arguments', cleanroom: null, outcome: render(region, args) };
  }
  header.push(`-- Arguments: SAMPLE values (such as p.COLUMN), not real ones. Give real ones in ${inputs.suggestedArgsFile} or in a cleanrooms.json analysis.`);
  const args = sampleArguments(region.parse);
  let outcome = render(region, args);
  const bare = outcome ? qualifiedTwice(args, outcome.partial) : new Set<string>();
  if (bare.size) outcome = render(region, sampleArguments(region.parse, bare));
  return { title: '-- sample arguments', scope: 'sample', cleanroom: null, outcome };
}

function render(region: ParsedRegion, args: PyDict): RenderOutcome | null {
  if (region.parse.errors.length) return null;
  return renderString(region.region.text, args, { jinjasql: true, parsed: region.parse });
}

interface Composition {
  version: number;
  header: string[];
  analyses: string[];
  analysis: string | null;
  cleanrooms: string[];
  renders: Render[];
}

/** Lays the document out and records where each section's SQL starts (for the mapping). */
function compose(c: Composition, options: PreviewOptions): PreviewResult {
  let text = c.header.join('\n') + '\n';
  const sections: PreviewSection[] = [];
  const placeholders = options.bindMode === 'placeholders';
  for (const r of c.renders) {
    text += '\n' + r.title + '\n';
    const o = r.outcome;
    const error = r.problem ?? (o?.error ? describeError(o) : undefined);
    if (error) text += commentLines(`error: ${error}`) + (o && (placeholders ? o.query : o.partial) ? commentLines('what was rendered before the error:') : '');
    const sql = o ? (placeholders ? (o.query ?? '') : (o.output ?? o.partial)) : '';
    const segments = o ? (placeholders ? (o.querySegments ?? []) : o.segments) : [];
    const offset = text.length;
    text += sql;
    if (!sql.endsWith('\n')) text += '\n';
    const section: PreviewSection = {
      title: r.title,
      scope: r.scope,
      cleanroom: r.cleanroom,
      sql,
      segments: segments.map(s => ({
        start: s.start,
        end: s.end,
        source: { start: s.source.start, end: s.source.end },
        kind: s.kind,
        ...(s.via?.length ? { via: s.via.map(v => ({ start: v.start, end: v.end })) } : {}),
      })),
      offset,
    };
    if (error) section.error = error;
    if (placeholders && o) {
      section.binds = (o.binds ?? []).map(b => ({ name: b.name, value: sqlLiteral(b.value) }));
      text += section.binds.length
        ? `-- binds (${section.binds.length}):\n` + section.binds.map((b, i) => `--   ${i + 1}. ${b.value}  (${b.name})\n`).join('')
        : '-- binds: none\n';
    }
    sections.push(section);
  }
  return { version: c.version, header: c.header, sections, analyses: c.analyses, analysis: c.analysis, cleanrooms: c.cleanrooms, text };
}

function describeError(o: RenderOutcome): string {
  const e = o.error!;
  return `${e.type}: ${e.message}`;
}

function commentLines(s: string): string {
  return s.split(/\r\n|\r|\n/).map(l => `-- ${l}\n`).join('');
}

/** Section segments with their template ranges moved to host offsets (worksheets, specs). */
function toHostSegments(result: PreviewResult, toHost: (s: Span) => Span): PreviewResult {
  for (const section of result.sections) {
    section.segments = section.segments.map((s: PreviewSegment) => ({
      ...s,
      source: toHost(s.source),
      ...(s.via ? { via: s.via.map(v => toHost(v)) } : {}),
    }));
  }
  return result;
}
