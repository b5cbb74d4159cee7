/** `dcr check [PATH…]`: the same analysis as the editor, for CI. */
import { analyzeProfileDocument, type Api, type SeverityOverride } from '../../../core/src/index.js';
import { LineIndex } from '../../../core/src/index.js';
import { collectFiles, displayPath } from '../files.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { formatJson } from '../report/json.js';
import { summarize, toCliDiagnostic, type FileResult } from '../report/model.js';

/** The running bundle (dist/dcr.js), which is also the entry of the check threads. */
const bundleEntry = (): string | undefined => (typeof __filename === 'string' ? __filename : undefined);
import { formatSarif } from '../report/sarif.js';
import { formatText } from '../report/text.js';
import { ProfileFinder, templateReader } from '../profile.js';
import { checkFilesInParallel, defaultJobs } from '../check/parallel.js';
import { loadWorkspaceSettings } from '../settings.js';
import { version } from '../../../package.json';

const FORMATS = ['text', 'json', 'sarif'] as const;
type Format = (typeof FORMATS)[number];
const LEVELS = new Set(['error', 'warning', 'information', 'hint', 'off']);

const HELP = `Usage: dcr check [PATH…] [options]

Checks clean room templates: template files (*.jinjasql, *.jinja.sql, *.sql.j2,
*.sql.jinja), .sql worksheets with embedded templates, and template-spec YAML.
Folders are searched recursively (node_modules and dot-folders are skipped).
Without PATH, the current folder is checked.

Options:
  --format text|json|sarif   output format (default: text)
  --api legacy|collaboration which clean room API the templates target (default: the
                             editor's cleanRoomTemplates.api in the nearest
                             .vscode/settings.json, else legacy; a profile's "api" wins)
  --severity CODE=LEVEL      override a rule's severity (error, warning, information,
                             hint, off); repeatable; added to the editor's
                             cleanRoomTemplates.rules.severity of .vscode/settings.json
  --jobs N                   threads to check many files with (default: one per core)
  --profile FILE             the cleanrooms.json profile to use (default: the nearest
                             cleanrooms.json walking up from each template); its analyses
                             are rendered and checked against its policies (DCR3xx), and
                             problems in the profile itself are reported on it
  -h, --help                 show this help

Exit codes: 0 no error findings, 1 error findings, 2 usage, I/O or configuration error.
`;

export interface CheckOptions {
  paths: string[];
  format: Format;
  /** Given on the command line; otherwise the workspace settings say. */
  api: Api | undefined;
  severities: Record<string, SeverityOverride>;
  profile?: string;
  /** --jobs: threads to check with; default one per core. */
  jobs?: number;
}

export function parseCheckArgs(argv: string[]): CheckOptions | 'help' {
  const parsed = parseCommandArgs('check', argv, {
    format: { type: 'string' },
    api: { type: 'string' },
    severity: { type: 'string', multiple: true },
    profile: { type: 'string' },
    jobs: { type: 'string' },
    help: { type: 'boolean', short: 'h' },
  });
  const v = parsed.values;
  if (v.help) return 'help';
  const format = (v.format ?? 'text') as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`check: --format must be text, json or sarif (got '${v.format}')`);
  const api = v.api as Api | undefined;
  if (api !== undefined && api !== 'legacy' && api !== 'collaboration') throw new UsageError(`check: --api must be legacy or collaboration (got '${v.api}')`);
  const severities: Record<string, SeverityOverride> = {};
  for (const s of v.severity ?? []) {
    const m = /^([A-Za-z]+[0-9]+)=([a-z]+)$/.exec(s.trim());
    if (!m || !LEVELS.has(m[2]!)) throw new UsageError(`check: --severity expects CODE=error|warning|information|hint|off (got '${s}')`);
    severities[m[1]!.toUpperCase()] = m[2] as SeverityOverride;
  }
  let jobs: number | undefined;
  if (v.jobs !== undefined) {
    jobs = Number(v.jobs);
    if (!Number.isInteger(jobs) || jobs < 1 || jobs > 64) throw new UsageError(`check: --jobs expects a whole number from 1 to 64 (got '${v.jobs}')`);
  }
  return {
    paths: parsed.positionals.length ? parsed.positionals : ['.'],
    format,
    api,
    severities,
    profile: v.profile,
    ...(jobs !== undefined ? { jobs } : {}),
  };
}

export async function runCheck(argv: string[], io: CliIO): Promise<number> {
  const opts = parseCheckArgs(argv);
  if (opts === 'help') {
    io.stdout(HELP);
    return EXIT_OK;
  }
  // Loaded now so a broken explicit profile fails fast (exit 2) before any output.
  const profiles = new ProfileFinder(io.cwd, opts.profile);
  const workspace = loadWorkspaceSettings(io.cwd);
  if (workspace.problem) io.stderr(`dcr: ${workspace.problem}\n`);
  const api = opts.api ?? workspace.settings.api;
  const severities = { ...workspace.settings.severities, ...opts.severities };

  const checked = await checkFilesInParallel(
    collectFiles(opts.paths, io.cwd),
    { cwd: io.cwd, ...(opts.profile !== undefined ? { profile: opts.profile } : {}), api, severities },
    opts.jobs ?? defaultJobs(),
    bundleEntry(),
    profiles,
  );
  const files: FileResult[] = checked.results;
  // The profiles used: their own problems, shown on the profile file when there are any.
  for (const path of checked.profiles) {
    const p = profiles.load(path);
    const shown = displayPath(p.path, io.cwd);
    if (files.some(f => f.path === shown)) continue;
    const findings = analyzeProfileDocument(p.text, { templateText: templateReader(p.path), severities });
    const lines = new LineIndex(p.text);
    if (findings.length) files.push({ path: shown, diagnostics: findings.map(f => toCliDiagnostic(f, lines)) });
  }
  const result = { files, summary: summarize(files) };
  if (opts.format === 'json') io.stdout(formatJson(result));
  else if (opts.format === 'sarif') io.stdout(formatSarif(result, version, io.cwd));
  else io.stdout(formatText(result, io.stdoutIsTTY && !io.env.NO_COLOR));
  return result.summary.errors > 0 ? EXIT_FINDINGS : EXIT_OK;
}

export const checkCommand: Command = {
  name: 'check',
  summary: 'check templates, worksheets and template specs for problems',
  help: HELP,
  run: runCheck,
};
