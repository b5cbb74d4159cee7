/**
 * Runs one AnalysisRequest with core. The same function serves the analysis worker and the
 * in-process fallback, so both give the same findings. A two-phase request first answers with
 * the quick pass (core's 'quick' depth), then the complete one on the same model, so the work
 * the quick pass did (its render, its checks) is not done again.
 */
import {
  analyzeDocument,
  analyzeProfileDocument,
  buildPreview,
  parseDocument,
  parseProfile,
  type DocumentModel,
  type Finding,
  type PreviewResult,
  type Profile,
} from '../../../core/src/index.js';
import type { AnalysisRequest, AnalysisResult, PreviewJob } from './request.js';

/** Profiles change rarely and every keystroke sends the same text: parse each text once. */
const profiles = new Map<string, Profile>();
function profileOf(text: string): Profile {
  let p = profiles.get(text);
  if (!p) {
    p = parseProfile(text);
    profiles.set(text, p);
    while (profiles.size > 8) profiles.delete(profiles.keys().next().value as string);
  }
  return p;
}

/**
 * The models of the documents analysed last, by uri: a preview of the same text reuses their
 * facts (core/src/analysis/facts.ts), so the renders the analysis made are not made again.
 */
const recent = new Map<string, { text: string; languageId: string; model: DocumentModel }>();
const RECENT_MODELS = 4;
function modelOf(uri: string, text: string, languageId: string): DocumentModel {
  let hit = recent.get(uri);
  recent.delete(uri);
  if (!hit || hit.text !== text || hit.languageId !== languageId) hit = { text, languageId, model: parseDocument({ text, path: uri, languageId }) };
  recent.set(uri, hit);
  while (recent.size > RECENT_MODELS) recent.delete(recent.keys().next().value as string);
  return hit.model;
}

/** Models kept for previews (for the soak test and the server's stats). */
export function recentModels(): number {
  return recent.size;
}

export function runPreview(job: PreviewJob): PreviewResult {
  return buildPreview({
    model: modelOf(job.uri, job.text, job.languageId),
    version: job.version,
    options: job.options,
    name: job.name,
    trusted: job.trusted,
    profile: job.profile ? { profile: profileOf(job.profile.text), label: job.profile.label, templatePath: job.profile.templatePath } : null,
    argsFile: job.argsFile,
    suggestedArgsFile: job.suggestedArgsFile,
  });
}

/** Whether the request is answered in two passes: only rendered templates have a slower part. */
export function isTwoPhase(req: AnalysisRequest): boolean {
  return !req.asProfile && req.allowRender;
}

/**
 * `onQuick` receives the quick pass's findings (two-phase requests only) and says whether to
 * go on: false when the request went stale meanwhile. Returns null when it stopped there.
 */
export function runAnalysis(req: AnalysisRequest, isCancelled: () => boolean, onQuick?: (findings: Finding[], ms: number) => boolean): AnalysisResult | null {
  const start = performance.now();
  if (req.asProfile) {
    const templates = req.profileTemplates;
    const findings = analyzeProfileDocument(req.text, {
      severities: req.severities,
      allowRender: req.allowRender,
      ...(templates ? { templateText: (p: string) => (Object.prototype.hasOwnProperty.call(templates, p) ? templates[p] : undefined) } : {}),
    });
    return { findings, ms: performance.now() - start };
  }
  const model = modelOf(req.uri, req.text, req.languageId);
  const options = {
    api: req.api,
    severities: req.severities,
    allowRender: req.allowRender,
    isCancelled,
    ...(req.profile ? { profile: { profile: profileOf(req.profile.text), templatePath: req.profile.templatePath } } : {}),
  };
  let quickMs: number | undefined;
  // Only a template that parsed is rendered: without one, the quick pass is the complete one.
  if (onQuick && isTwoPhase(req) && model.templates.some(t => !t.parse.errors.length)) {
    const quick = analyzeDocument(model, { ...options, depth: 'quick' });
    quickMs = performance.now() - start;
    if (!onQuick(quick, quickMs) || isCancelled()) return null;
  }
  const findings = analyzeDocument(model, options);
  return { findings, ms: performance.now() - start, ...(quickMs !== undefined ? { quickMs } : {}) };
}
