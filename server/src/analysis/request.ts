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

/** One preview of one document version, as plain data for the analysis worker (see run.ts). */
export interface PreviewJob {
  uri: string;
  version: number;
  text: string;
  languageId: string;
  options: import('../../../core/src/index.js').PreviewChoice;
  /** The template's file name, for the header. */
  name: string;
  trusted: boolean;
  /** The governing profile's text, how the header names it, and the template's path from it. */
  profile: { text: string; label: string; templatePath: string } | null;
  argsFile: import('../../../core/src/index.js').ArgsFileInput | null;
  suggestedArgsFile: string;
}

/**
 * A preview as the analysis thread hands it over: the result with its sections' `segments`
 * left out, and those segments on request. Copying tens of thousands of small segment objects
 * between threads costs more than the preview itself; the live preview needs them only when
 * the user navigates.
 */
export interface PreviewPayload {
  lean: import('../../../core/src/index.js').PreviewResult;
  /** The result with its segments (computed once). */
  full(): import('../../../core/src/index.js').PreviewResult;
}

/** Splits a preview into the lean result and its segments. */
export function splitPreview(result: import('../../../core/src/index.js').PreviewResult): {
  lean: import('../../../core/src/index.js').PreviewResult;
  segments: import('../../../core/src/index.js').PreviewSegment[][];
} {
  return { lean: { ...result, sections: result.sections.map(s => ({ ...s, segments: [] })) }, segments: result.sections.map(s => s.segments) };
}

/** The payload of a lean result whose segments come from `segments()` (called at most once). */
export function previewPayload(
  lean: import('../../../core/src/index.js').PreviewResult,
  segments: () => import('../../../core/src/index.js').PreviewSegment[][],
): PreviewPayload {
  let full: import('../../../core/src/index.js').PreviewResult | undefined;
  return {
    lean,
    full: () => {
      if (!full) {
        const all = segments();
        full = { ...lean, sections: lean.sections.map((s, i) => ({ ...s, segments: all[i] ?? [] })) };
      }
      return full;
    },
  };
}
