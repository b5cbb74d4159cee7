/**
 * One analysis of one document version, as plain data: it crosses to the analysis worker by
 * structured clone, so it carries texts (the document, its profile) rather than parsed models.
 */
import type { Api, Finding, SeverityOverride } from '../../../core/src/index.js';

export interface AnalysisRequest {
  uri: string;
  version: number;
  text: string;
  languageId: string;
  api: Api;
  severities: Record<string, SeverityOverride>;
  allowRender: boolean;
  /** The profile governing a template: its text (parsed once per text by the analyser) and the template's path from it. */
  profile?: { text: string; templatePath: string };
  /** For a profile document itself: the texts of the templates its analyses name. */
  profileTemplates?: Record<string, string>;
  asProfile: boolean;
}

export interface AnalysisResult {
  findings: Finding[];
  /** Milliseconds the analysis itself took (not the wait before it). */
  ms: number;
  /** Milliseconds until the quick pass's findings were ready (two-phase requests). */
  quickMs?: number;
}
