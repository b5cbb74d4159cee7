/**
 * The "Preview Rendered SQL" wire contract (not part of LSP). Free of `vscode` and of the
 * connection so both bundles import it. Offsets are UTF-16 code units, as LSP characters.
 */
/** An LSP range (zero-based lines, UTF-16 characters). */
export interface Range {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export type { BindMode, PreviewChoice, PreviewResult, PreviewSection, PreviewSegment } from '../../../core/src/index.js';
import type { BindMode, PreviewChoice } from '../../../core/src/index.js';

/** What a preview shows; the same options identify a preview in the mapping requests. */
export interface PreviewOptions extends PreviewChoice {
  /** The template document (a template file, a worksheet or a template spec). */
  uri: string;
  /**
   * False: the sections come without their `segments` (the source map, about ten times the
   * size of the SQL). A client that navigates through templateRangeAt / previewRangesAt (the
   * server keeps the map) does not need them. Default true.
   */
  segments?: boolean;
}

/** Client -> server request: the preview of the document's current version. */
export const PreviewRequest = 'cleanRoomTemplates/preview';
export type PreviewParams = PreviewOptions;

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

/**
 * The command every "Preview SQL" CodeLens runs (textDocument/codeLens, served by the language
 * server so every LSP editor gets the lenses). VS Code's client opens the preview; another
 * editor may send it back as workspace/executeCommand and gets the PreviewResult.
 */
export const PREVIEW_COMMAND = 'cleanRoomTemplates.previewSql';
export interface PreviewCommandArgs {
  uri?: string;
  template?: number;
  analysis?: string;
  bindMode?: BindMode;
}
