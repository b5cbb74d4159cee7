/**
 * The "Preview Rendered SQL" wire contract (not part of LSP). Free of `vscode` and of the
 * connection so both bundles import it. Offsets are UTF-16 code units, as LSP characters.
 */
/** An LSP range (zero-based lines, UTF-16 characters). */
export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export type BindMode = 'inline' | 'placeholders';

/** What a preview shows; the same options identify a preview in the mapping requests. */
export interface PreviewOptions {
  /** The template document (a template file, a worksheet or a template spec). */
  uri: string;
  /** An analysis of the profile; default: the first analysis that uses the template. */
  analysis?: string;
  bindMode: BindMode;
  /** Only this clean room's render; default: every render of the analysis. */
  cleanroom?: string;
  /** Which embedded template of a worksheet or spec (index in document order); default 0. */
  template?: number;
}

/** Client -> server request: the preview of the document's current version. */
export const PreviewRequest = 'cleanRoomTemplates/preview';
export type PreviewParams = PreviewOptions;

export interface PreviewSegment {
  /** Offsets in the section's `sql`. */
  start: number;
  end: number;
  /** The template range that produced the text, in host document offsets. */
  source: { start: number; end: number };
  kind: 'text' | 'expression' | 'bind' | 'markup';
  /** Macro / call / set-block call sites, innermost first, in host offsets. */
  via?: { start: number; end: number }[];
}

export interface PreviewSection {
  /** The heading line, e.g. `-- cluster: Clean Room 1, Clean Room 2` or `-- cleanroom: Clean Room 1`. */
  title: string;
  /** 'sample' / 'arguments': rendered without a profile analysis. */
  scope: 'cluster' | 'cleanroom' | 'sample' | 'arguments';
  cleanroom: string | null;
  /** The SQL (binds inlined, or `?` placeholders); the partial output when the render failed. */
  sql: string;
  /** Placeholders mode: bound values in bind order, as SQL literals. */
  binds?: { name: string; value: string }[];
  error?: string;
  segments: PreviewSegment[];
  /** Where `sql` starts in `PreviewResult.text`. */
  offset: number;
}

export interface PreviewResult {
  /** The template document version this preview was rendered from. */
  version: number;
  /** Header comment lines (`-- …`): which analysis, which clean rooms, the bind mode. */
  header: string[];
  sections: PreviewSection[];
  /** Names of the profile analyses that use this template (for the picker). */
  analyses: string[];
  /** The analysis rendered, if any. */
  analysis: string | null;
  /** Clean rooms of that analysis (for the picker). */
  cleanrooms: string[];
  /** The whole preview document: header, then each section's title, SQL and binds. */
  text: string;
}

/** Server -> client: re-request the preview of `uri` (template, profile or args file changed). */
export const PreviewChangedNotification = 'cleanRoomTemplates/previewChanged';
export interface PreviewChangedParams {
  uri: string;
}

/** Client -> server: preview offset -> the template range that produced the text there. */
export const TemplateRangeAtRequest = 'cleanRoomTemplates/templateRangeAt';
export interface TemplateRangeAtParams extends PreviewOptions {
  /** The preview's template version; a different current version answers null (stale). */
  version: number;
  /** Offset in `PreviewResult.text`. */
  offset: number;
}
export interface TemplateRangeAtResult {
  /** The innermost template range (host document). */
  range: Range;
  /** Macro call sites that led there, innermost first. */
  via: Range[];
}

/** Client -> server: template position -> the preview ranges it produced. */
export const PreviewRangesAtRequest = 'cleanRoomTemplates/previewRangesAt';
export interface PreviewRangesAtParams extends PreviewOptions {
  version: number;
  /** Position in the template (host) document. */
  position: { line: number; character: number };
}
export interface PreviewRangesAtResult {
  /** Offsets in `PreviewResult.text`, sorted, adjacent ranges merged. */
  ranges: { start: number; end: number }[];
}

/** Client -> server: the templates of a document and the analyses using each (CodeLens). */
export const PreviewTemplatesRequest = 'cleanRoomTemplates/previewTemplates';
export interface PreviewTemplatesParams {
  uri: string;
}
export interface PreviewTemplatesResult {
  templates: { index: number; range: Range; label: string; analyses: string[] }[];
}
