/**
 * Which analyses of a profile run a template, and their renders: one per clean room, plus
 * one for the whole cluster when the analysis spans several rooms (docs/architecture.md, the profile contract), because
 * each room validates the query with only its own `source_table` entries.
 */
import type { ParseResult } from '../jinja/parse.js';
import { renderString } from '../jinja/index.js';
import { PyDict, type PyValue } from '../jinja/runtime/values.js';
import type { AnalysisRender, AnalysisRenders, Profile, ProfileAnalysis } from './types.js';
import type { ProfileAnalysisExtra } from './parse.js';

export function normalizePath(p: string): string {
  const parts: string[] = [];
  for (const seg of p.replace(/\\/g, '/').split('/')) {
    if (!seg || seg === '.') continue;
    if (seg === '..' && parts.length && parts[parts.length - 1] !== '..') parts.pop();
    else parts.push(seg);
  }
  return parts.join('/');
}

/**
 * Analyses whose `template` is `templatePath` (relative to the profile's folder). For a
 * worksheet holding several templates, `templateName` (the name in the procedure call)
 * narrows the match to analyses with that template name; an analysis that does not set
 * `templateName` matches every template of its file.
 */
export function analysesForTemplate(profile: Profile, templatePath: string, templateName?: string): ProfileAnalysis[] {
  const out: ProfileAnalysis[] = [];
  for (const a of byTemplate(profile).get(normalizePath(templatePath)) ?? []) {
    const explicit = (a as ProfileAnalysis & ProfileAnalysisExtra).templateNameExplicit !== false;
    if (templateName !== undefined && explicit && a.templateName !== templateName) continue;
    out.push(a);
  }
  return out;
}

/** A profile's analyses by normalized template path, built once per parsed profile (`dcr check` asks for every file). */
const BY_TEMPLATE = new WeakMap<Profile, Map<string, ProfileAnalysis[]>>();
function byTemplate(profile: Profile): Map<string, ProfileAnalysis[]> {
  let m = BY_TEMPLATE.get(profile);
  if (!m) {
    m = new Map();
    for (const a of profile.analyses.values()) {
      const key = normalizePath(a.template);
      const list = m.get(key);
      if (list) list.push(a);
      else m.set(key, [a]);
    }
    BY_TEMPLATE.set(profile, m);
  }
  return m;
}

/** The clean room a multi-provider `source_table` entry names (`<room>.<DB>.<SCHEMA>.<TABLE>`), and the table. */
export function splitRoomPrefix(entry: string, rooms: readonly string[]): { room: string; table: string } | null {
  // Longest name first: one room's name may be a prefix of another's.
  for (const room of [...rooms].sort((a, b) => b.length - a.length)) {
    if (entry.length > room.length + 1 && entry.slice(0, room.length + 1).toLowerCase() === `${room.toLowerCase()}.`) {
      return { room, table: entry.slice(room.length + 1) };
    }
  }
  return null;
}

export function renderAnalysis(source: string, parsed: ParseResult, analysis: ProfileAnalysis, _profile: Profile): AnalysisRenders {
  const renders: AnalysisRender[] = [];
  const render = (scope: AnalysisRender['scope'], cleanroom: string | null, given: PyDict) => {
    // Snowflake defines `privacy` for every template (templates read
    // `privacy.threshold_value | default(…)`); an empty dict leaves each field undefined.
    const args = given.has('privacy') ? given : new PyDict([...given.entries(), ['privacy', new PyDict()]]);
    renders.push({ scope, cleanroom, arguments: args, outcome: renderString(source, args, { jinjasql: true, parsed }) });
  };
  if (analysis.cleanrooms.length <= 1) {
    render('cleanroom', analysis.cleanrooms[0] ?? null, analysis.arguments);
    return { analysis, renders };
  }
  render('cluster', null, analysis.arguments);
  const sources = analysis.arguments.get('source_table');
  for (const room of analysis.cleanrooms) {
    const args = new PyDict(analysis.arguments.entries());
    if (Array.isArray(sources)) {
      args.set(
        'source_table',
        sources.filter((s: PyValue) => typeof s === 'string' && splitRoomPrefix(s, [room]) !== null),
      );
    }
    render('cleanroom', room, args);
  }
  return { analysis, renders };
}
