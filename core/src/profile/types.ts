/**
 * The profile (`cleanrooms.json`, see docs/architecture.md) as the engine sees it, and the renders of an
 * analysis. Contract shared by the profile checks (DCR3xx), the SQL checks (DCR2xx), the
 * preview and the CLI. Pure data: reading files is the caller's job.
 */
import type { Span } from '../text/span.js';
import type { Finding } from '../findings.js';
import type { PyDict } from '../jinja/runtime/values.js';
import type { RenderOutcome } from '../jinja/index.js';
import type { Api } from '../settings.js';

/** One side (provider or consumer) of a clean room. A missing policy means "unknown". */
export interface ProfileSide {
  /** "DB.SCHEMA.TABLE" -> column names (upper-cased as Snowflake stores them). */
  tables: Map<string, string[]> | null;
  /** "DB.SCHEMA.TABLE:COLUMN" entries; null when the key is absent (unknown policy). */
  joinPolicy: string[] | null;
  /** "template:DB.SCHEMA.TABLE:COLUMN" entries; null when absent. */
  columnPolicy: string[] | null;
  activationPolicy: string[] | null;
  /** Where each entry is written in the profile, for findings there. */
  spans: Map<string, Span>;
}

export interface ProfileCleanRoom {
  name: string;
  nameSpan: Span;
  provider: ProfileSide;
  consumer: ProfileSide;
  /** Template names installed in the room; null when absent. */
  templates: string[] | null;
}

export interface ProfileAnalysis {
  name: string;
  nameSpan: Span;
  /** Template path as written (relative to the profile's folder). */
  template: string;
  /** `templateName`, else the template file's base name without its extensions. */
  templateName: string;
  cleanrooms: string[];
  /** The run_analysis / prepare_multiprovider_flow arguments, numbers kept exact (PyFloat for 3.0). */
  arguments: PyDict;
  /** Spans of each argument key in the profile, for findings there. */
  argumentSpans: Map<string, Span>;
}

export interface Profile {
  api: Api;
  /** True when the profile says `"api"` itself; then it wins over the editor's and the CLI's setting. */
  apiExplicit?: boolean;
  cleanrooms: Map<string, ProfileCleanRoom>;
  analyses: Map<string, ProfileAnalysis>;
  /** Problems in the profile itself (spans in the profile text); the rest stays usable. */
  problems: Finding[];
}

/** One render of an analysis: for the cluster (all tables) or for one clean room. */
export interface AnalysisRender {
  scope: 'cluster' | 'cleanroom';
  cleanroom: string | null;
  /** The arguments used for this render (per-room: only that room's source_table entries). */
  arguments: PyDict;
  outcome: RenderOutcome;
}

export interface AnalysisRenders {
  analysis: ProfileAnalysis;
  renders: AnalysisRender[];
}
