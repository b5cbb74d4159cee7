/**
 * The per-file work of `dcr check`: read, find the governing profile, analyse. Runs in the
 * main thread for a few files and in worker threads (cli/src/check/parallel.ts) for many;
 * both give the same results in the same order.
 */
import { analyzeDocument, parseDocument, type Api, type SeverityOverride } from '../../../core/src/index.js';
import { displayPath, readText } from '../files.js';
import { UsageError } from '../io.js';
import { ProfileFinder } from '../profile.js';
import { toCliDiagnostic, type FileResult } from '../report/model.js';

export interface CheckSettings {
  cwd: string;
  /** --profile, else the nearest cleanrooms.json of each file. */
  profile?: string;
  api: Api;
  severities: Record<string, SeverityOverride>;
}

export interface CheckedFiles {
  results: FileResult[];
  /** Absolute paths of the profiles that governed a file. */
  profiles: string[];
}

/** `profiles`: the caller's finder, so a profile it already read is not read again. */
export async function checkFiles(
  files: readonly string[],
  settings: CheckSettings,
  profiles = new ProfileFinder(settings.cwd, settings.profile),
): Promise<CheckedFiles> {
  const results: FileResult[] = [];
  for (const abs of files) {
    const shown = displayPath(abs, settings.cwd);
    const text = readText(abs, shown);
    // Outside the try: a broken profile is a configuration error, not an internal one.
    const governing = await profiles.forFile(abs);
    let diagnostics;
    let templates: number;
    try {
      const model = parseDocument({ text, path: abs });
      const profile = governing ? { profile: governing.loaded.profile, templatePath: governing.templatePath } : undefined;
      const findings = analyzeDocument(model, { api: settings.api, severities: settings.severities, allowRender: true, ...(profile ? { profile } : {}) });
      diagnostics = findings.map(f => toCliDiagnostic(f, model.lines));
      templates = model.templates.length;
    } catch (err) {
      // Not "no findings": a crash must not let CI pass silently.
      throw new UsageError(`internal error while checking ${shown}: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    }
    results.push({ path: shown, diagnostics, templates });
  }
  return { results, profiles: profiles.all().map(p => p.path) };
}
