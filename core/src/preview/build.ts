/**
 * Lays out the preview document of one template: a header that says what was rendered and
 * with which arguments, then one section per render (core/src/preview/renders.ts). Pure:
 * model and inputs in, text and sections out.
 */
import type { DocumentModel } from '../analysis/model.js';
import { sqlLiteral, type RenderOutcome } from '../jinja/index.js';
import type { Profile } from '../profile/types.js';
import type { Span } from '../text/span.js';
import { renderTemplate, type ArgumentsInput, type RenderSection } from './renders.js';
import type { PreviewChoice, PreviewResult, PreviewSection, PreviewSegment } from './types.js';

export interface ProfileInput {
  profile: Profile;
  /** How the header names the profile file (e.g. its workspace-relative path). */
  label: string;
  templatePath: string;
}

/** The `<template>.args.json` beside the template: its text, or why it could not be read. */
export type ArgsFileInput = { label: string; text: string } | { label: string; error: string };

export interface PreviewInputs {
  model: DocumentModel;
  version: number;
  options: PreviewChoice;
  /** The template's file name, for the header. */
  name: string;
  trusted: boolean;
  profile: ProfileInput | null;
  /** Null: no args file exists; `suggested` is the name to tell the user about. */
  argsFile: ArgsFileInput | null;
  suggestedArgsFile: string;
}

export const RESTRICTED_MESSAGE = 'Rendering is off in Restricted Mode: trust this workspace to preview the rendered SQL.';

export function buildPreview(inputs: PreviewInputs): PreviewResult {
  const { model, version, options } = inputs;
  const header = [`-- Rendered SQL of ${inputs.name} (read-only preview; follows the template as you type)`];
  const base = { version, header, analyses: [] as string[], analysis: null as string | null, cleanrooms: [] as string[] };
  if (!inputs.trusted) {
    header.push(`-- ${RESTRICTED_MESSAGE}`);
    return compose({ ...base, renders: [] }, options);
  }
  const index = options.template ?? 0;
  const fallback: ArgumentsInput = inputs.argsFile
    ? 'error' in inputs.argsFile
      ? { kind: 'json', label: inputs.argsFile.label, error: inputs.argsFile.error }
      : { kind: 'json', label: inputs.argsFile.label, text: inputs.argsFile.text }
    : { kind: 'sample' };
  const plan = renderTemplate({
    // The editor shows the diagnostics; the preview shows the SQL.
    withFindings: false,
    model,
    template: index,
    profile: inputs.profile,
    useAnalyses: true,
    ...(options.analysis !== undefined ? { analysis: options.analysis } : {}),
    ...(options.cleanroom !== undefined ? { cleanroom: options.cleanroom } : {}),
    fallback,
  });
  const region = plan.region;
  if (!region) {
    header.push(model.templates.length ? `-- This document has no template number ${index + 1}.` : '-- No clean room template found in this document.');
    return compose({ ...base, renders: [] }, options);
  }
  if (model.templates.length > 1) header.push(`-- Template ${index + 1} of ${model.templates.length}: ${region.region.label}`);
  base.analyses = plan.analyses;
  const analysis = plan.analysis;
  if (inputs.profile && analysis) {
    header.push(`-- Analysis: "${analysis.name}" from ${inputs.profile.label}`);
    const rooms = analysis.cleanrooms;
    if (rooms.length > 1)
      header.push(`-- Clean rooms: ${rooms.join(', ')} (multi-provider: the cluster render, then one per clean room with only its source_table entries)`);
    else header.push(`-- Clean room: ${rooms[0] ?? '(none listed)'}`);
    if (plan.narrowed) header.push(`-- Showing only clean room ${options.cleanroom} (Clean Room: Choose Analysis or Clean Room to show all).`);
    base.analysis = analysis.name;
    base.cleanrooms = [...analysis.cleanrooms];
  } else {
    if (inputs.profile) header.push(`-- No analysis in ${inputs.profile.label} uses this template.`);
    if (plan.argumentsNote === 'sample') {
      header.push(
        `-- Arguments: SAMPLE values (such as p.COLUMN), not real ones. Give real ones in ${inputs.suggestedArgsFile} or in a cleanrooms.json analysis.`,
      );
    } else header.push(`-- Arguments: ${plan.argumentsNote}`);
  }
  header.push(
    options.bindMode === 'placeholders'
      ? '-- Binds: `?` placeholders, with the bound values listed after each render.'
      : '-- Binds: inlined as SQL literals (as get_sql_jinja shows them).',
  );
  if (region.parse.errors.length) header.push('-- The template has syntax errors: fix them to see the SQL (see the Problems view).');
  return toHostSegments(compose({ ...base, renders: plan.sections }, options), region.region.toHost);
}

interface Composition {
  version: number;
  header: string[];
  analyses: string[];
  analysis: string | null;
  cleanrooms: string[];
  renders: RenderSection[];
}

/** Lays the document out and records where each section's SQL starts (for the mapping). */
function compose(c: Composition, options: PreviewChoice): PreviewResult {
  let text = c.header.join('\n') + '\n';
  const sections: PreviewSection[] = [];
  const placeholders = options.bindMode === 'placeholders';
  const vias = new Map<readonly Span[], Span[]>();
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
      segments: segments.map(s => {
        const g: PreviewSegment = { start: s.start, end: s.end, source: { start: s.source.start, end: s.source.end }, kind: s.kind };
        if (s.via?.length) {
          // Shared call-site chains stay shared (one copy each).
          let via = vias.get(s.via);
          if (!via) vias.set(s.via, (via = s.via.map(v => ({ start: v.start, end: v.end }))));
          g.via = via;
        }
        return g;
      }),
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
  return s
    .split(/\r\n|\r|\n/)
    .map(l => `-- ${l}\n`)
    .join('');
}

/** Section segments with their template ranges moved to host offsets (worksheets, specs). */
function toHostSegments(result: PreviewResult, toHost: (s: Span) => Span): PreviewResult {
  // Segments of one macro body share their call-site chain: move each chain once.
  const moved = new Map<readonly Span[], Span[]>();
  for (const section of result.sections) {
    section.segments = section.segments.map((s: PreviewSegment) => {
      const g: PreviewSegment = { start: s.start, end: s.end, source: toHost(s.source), kind: s.kind };
      if (s.via) {
        let via = moved.get(s.via);
        if (!via) moved.set(s.via, (via = s.via.map(v => toHost(v))));
        g.via = via;
      }
      return g;
    });
  }
  return result;
}
