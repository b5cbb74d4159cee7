/** What a migration reads, writes and reports. Pure data: the caller reads and writes files. */

export interface MigrateInput {
  /** The legacy cleanrooms.json text. */
  profileText: string;
  /** A template file's text by its path relative to the profile's folder; undefined when missing. */
  templateText: (path: string) => string | undefined;
  /** Migrate only this analysis (and what it needs). */
  analysis?: string;
  /**
   * Files near the profile (paths relative to its folder) where templates that a clean room
   * installs but no analysis runs are looked for: a template file of that base name, or a
   * worksheet call with that template name.
   */
  templateFiles?: { path: string; text: string }[];
}

export interface OutputFile {
  /** Relative to the output folder, forward slashes. */
  path: string;
  text: string;
  kind: 'template-spec' | 'data-offering-spec' | 'collaboration-spec' | 'profile';
}

export interface Change {
  where: string;
  message: string;
}

/** A place where a person must decide before the migrated material is used. */
export interface Decision {
  where: string;
  message: string;
  reason: string;
  /** Legacy render (after renaming) against the migrated render, when they differ. */
  diff?: string;
}

export interface RenderComparison {
  analysis: string;
  template: string;
  scope: 'cluster' | 'cleanroom';
  equal: boolean;
  diff?: string;
}

export interface TemplateOutcome {
  legacyName: string;
  source: string;
  name: string;
  id: string;
  spec: string;
  clean: boolean;
  /** A template no analysis runs: checked on sample arguments, this many renders equal of so many. */
  sampleRenders?: { compared: number; equal: number };
}

export interface AnalysisOutcome {
  name: string;
  template: string;
  collaboration: string;
  clean: boolean;
}

export interface MigrationReport {
  version: 1;
  /** Set when nothing could be migrated (not a legacy profile, unknown analysis). */
  fatal?: string;
  changes: Change[];
  decisions: Decision[];
  /** Values a skeleton cannot know (account identifiers): fill in, no judgement needed. */
  fillIn: Change[];
  renders: RenderComparison[];
  templates: TemplateOutcome[];
  analyses: AnalysisOutcome[];
  files: string[];
  summary: { analyses: number; analysesClean: number; templates: number; templatesClean: number; changes: number; decisions: number; fillIn: number };
}

export interface MigrateResult {
  files: OutputFile[];
  report: MigrationReport;
}
