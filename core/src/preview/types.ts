/**
 * What a preview of rendered SQL is made of: sections (one per render), each with its SQL and
 * the map from SQL offsets back to the template. Shared by the editor's live preview and
 * `dcr render`. Offsets are UTF-16 code units.
 */
export type BindMode = 'inline' | 'placeholders';

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

/** What a preview shows; the same options identify a preview in the mapping requests. */
export interface PreviewChoice {
  /** An analysis of the profile; default: the first analysis that uses the template. */
  analysis?: string;
  bindMode: BindMode;
  /** Only this clean room's render; default: every render of the analysis. */
  cleanroom?: string;
  /** Which embedded template of a worksheet or spec (index in document order); default 0. */
  template?: number;
}
