/**
 * Findings on the `cleanrooms.json` document itself (spans in the profile text): invalid
 * parts (DCR301), contradictions and stale entries in the policies (DCR307, DCR308), an
 * analysis whose template is not in a room (DCR306), multi-provider rooms without a provider
 * join policy (DCR309). Reading template files is the caller's job: pass `templateText` and
 * the analyses are also rendered, which adds a missing template file (DCR310), arguments the
 * template never reads (DCR305) and each rejected value at its argument (DCR302).
 */
import type { Finding } from '../findings.js';
import { sortFindings } from '../findings.js';
import type { Api, SeverityOverride } from '../settings.js';
import { extractTemplates, detectKind } from '../sources/regions.js';
import { parse as parseTemplate } from '../jinja/parse.js';
import { finding } from '../rules/finding.js';
import { profileRules, unknownArguments } from '../rules/profileChecks.js';
import type { Profile, ProfileCleanRoom, ProfileSide } from './types.js';
import { normIdent, parseProfile, POLICY_KEYS, type ProfileAnalysisExtra } from './parse.js';
import { analysesForTemplate, renderAnalysis } from './analyses.js';

export interface ProfileDocumentOptions {
  /** The text of a template file by its path relative to the profile's folder; undefined when it does not exist. */
  templateText?: (templatePath: string) => string | undefined;
  severities?: Record<string, SeverityOverride>;
  /** False in an untrusted workspace: templates are not rendered. */
  allowRender?: boolean;
}

export function analyzeProfileDocument(text: string, options: ProfileDocumentOptions = {}): Finding[] {
  const profile = parseProfile(text);
  const out: Finding[] = [...profile.problems, ...profileConsistency(profile)];
  for (const a of profile.analyses.values()) {
    const extra = a as typeof a & ProfileAnalysisExtra;
    const at = extra.templateSpan ?? a.nameSpan;
    for (const roomName of a.cleanrooms) {
      const room = profile.cleanrooms.get(roomName)!;
      if (room.templates && !room.templates.some(t => t.toLowerCase() === a.templateName.toLowerCase())) {
        out.push(finding('DCR306', `Template '${a.templateName}' of analysis '${a.name}' is not in the "templates" of clean room '${roomName}'.`, at));
      }
    }
    if (a.cleanrooms.length > 1) {
      a.cleanrooms.forEach((roomName, i) => {
        const jp = profile.cleanrooms.get(roomName)!.provider.joinPolicy;
        if (jp !== null && jp.length === 0) {
          out.push(
            finding(
              'DCR309',
              `Clean room '${roomName}' has an empty provider join policy: a multi-provider analysis needs a provider join policy in every clean room, whether or not the template checks it.`,
              extra.cleanroomSpans?.[i] ?? a.nameSpan,
            ),
          );
        }
      });
    }
    if (!options.templateText) continue;
    const source = options.templateText(a.template);
    if (source === undefined) {
      out.push(finding('DCR310', `Template file '${a.template}' of analysis '${a.name}' was not found (paths are relative to this cleanrooms.json).`, at));
      continue;
    }
    const kind = detectKind(a.template, undefined, source);
    for (const region of extractTemplates(source, kind)) {
      if (kind === 'worksheet' && !analysesForTemplate(profile, a.template, region.meta.templateName).includes(a)) continue;
      const parsed = parseTemplate(region.text);
      if (parsed.errors.length) continue;
      for (const name of unknownArguments(a.arguments, parsed)) {
        const f = finding(
          'DCR305',
          `Analysis '${a.name}' passes argument '${name}', which template '${a.templateName}' never reads.`,
          a.argumentSpans.get(name) ?? a.nameSpan,
        );
        f.severity = 'warning';
        out.push(f);
      }
      if (options.allowRender === false) continue;
      const renders = renderAnalysis(region.text, parsed, a, profile);
      for (const f of profileRules(renders, profile, { api: profile.api, parsed, source: region.text })) {
        if (f.code !== 'DCR302') continue;
        const path = (f.data as { argumentPath?: string } | undefined)?.argumentPath;
        const span = (path && extra.argumentValueSpans?.get(path)) || a.nameSpan;
        out.push({ code: f.code, severity: f.severity, message: f.message, span });
      }
    }
  }
  return sortFindings(applySeverities(dedupe(out), options.severities));
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter(f => {
    const k = `${f.code}:${f.span.start}:${f.span.end}:${f.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** DCR307 and DCR308: what a room's own policies contradict or name in vain. */
export function profileConsistency(profile: Profile): Finding[] {
  const out: Finding[] = [];
  for (const room of profile.cleanrooms.values()) {
    for (const sideName of ['provider', 'consumer'] as const) {
      const side = room[sideName];
      const joins = new Set((side.joinPolicy ?? []).map(e => entryKey(e.split(':'))));
      for (const e of side.columnPolicy ?? []) {
        const parts = e.split(':');
        if (joins.has(entryKey(parts.slice(1)))) {
          out.push(
            finding(
              'DCR307',
              `${parts.slice(1).join(':')} is in both the join policy and the column policy of the ${sideName} of clean room '${room.name}'; Snowflake does not allow a column in both (a join key must not be projected).`,
              side.spans.get(`columnPolicy/${e}`)!,
            ),
          );
        }
      }
      for (const policy of POLICY_KEYS) {
        for (const e of side[policy] ?? []) {
          const problem = staleEntry(room, side, policy, e);
          if (problem)
            out.push(
              finding('DCR308', `${policy} entry '${e}' of the ${sideName} of clean room '${room.name}' ${problem}.`, side.spans.get(`${policy}/${e}`)!),
            );
        }
      }
    }
  }
  return out;
}

function entryKey(parts: string[]): string {
  return `${normIdent(parts[0] ?? '')}:${normIdent(parts[1] ?? '')}`;
}

function staleEntry(room: ProfileCleanRoom, side: ProfileSide, policy: string, e: string): string | null {
  const parts = e.split(':');
  const [template, table, column] = policy === 'joinPolicy' ? [null, parts[0]!, parts[1]!] : [parts[0]!, parts[1]!, parts[2]!];
  if (template !== null && room.templates && !room.templates.some(t => t.toLowerCase() === template.trim().toLowerCase())) {
    return `names template '${template}', which is not in the room's "templates"`;
  }
  if (!side.tables) return null;
  const want = normIdent(table);
  const hit = [...side.tables].find(([t]) => normIdent(t) === want);
  if (!hit) return `names table ${table}, which is not in this side's "tables"`;
  if (!hit[1].includes(normIdent(column))) return `names column ${column}, which table ${hit[0]} does not have`;
  return null;
}

// A local copy of the facade's helper: importing analyze.ts here would make an import cycle.
function applySeverities(findings: Finding[], overrides?: Record<string, SeverityOverride>): Finding[] {
  if (!overrides) return findings;
  return findings.flatMap(f => {
    const o = overrides[f.code];
    if (o === 'off') return [];
    return [o ? { ...f, severity: o } : f];
  });
}

export type { Api };
