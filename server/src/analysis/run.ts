/**
 * Runs one AnalysisRequest with core. The same function serves the analysis worker and the
 * in-process fallback, so both give the same findings.
 */
import { analyzeDocument, analyzeProfileDocument, parseDocument, parseProfile, type Finding, type Profile } from '../../../core/src/index.js';
import type { AnalysisRequest, AnalysisResult } from './request.js';

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

export function runAnalysis(req: AnalysisRequest, isCancelled: () => boolean): AnalysisResult {
  const start = performance.now();
  let findings: Finding[];
  if (req.asProfile) {
    const templates = req.profileTemplates;
    findings = analyzeProfileDocument(req.text, {
      severities: req.severities,
      allowRender: req.allowRender,
      ...(templates ? { templateText: (p: string) => (Object.prototype.hasOwnProperty.call(templates, p) ? templates[p] : undefined) } : {}),
    });
  } else {
    const model = parseDocument({ text: req.text, path: req.uri, languageId: req.languageId });
    findings = analyzeDocument(model, {
      api: req.api,
      severities: req.severities,
      allowRender: req.allowRender,
      isCancelled,
      ...(req.profile ? { profile: { profile: profileOf(req.profile.text), templatePath: req.profile.templatePath } } : {}),
    });
  }
  return { findings, ms: performance.now() - start };
}
