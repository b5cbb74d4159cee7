/** `dcr migrate --profile cleanrooms.json --out DIR`: legacy clean rooms to Collaboration API specs. */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { migrateProfile } from '../../../core/src/index.js';
import type { MigrationReport } from '../../../core/src/index.js';
import { collectFiles, displayPath, reason } from '../files.js';
import { loadProfile, templateReader } from '../profile.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';

const HELP = `Usage: dcr migrate --profile cleanrooms.json --out DIR [options]

Moves legacy (provider/consumer) clean rooms to the Collaboration API: for the analyses of the
profile, writes into DIR
  templates/NAME.yaml         a template spec per template (aliases renumbered from 1,
                              source_table/my_table swapped for provider-run templates)
  offerings/NAME.yaml         a data offering spec per clean room side, from its tables and
                              its join, column and activation policies
  collaborations/NAME.yaml    a collaboration spec skeleton (a multi-provider analysis
                              becomes one collaboration with several data providers)
  cleanrooms.json             the profile for the Collaboration API, analyses carried over
and checks the result: each analysis renders the same SQL as before apart from the alias and
table renaming (a diff when not), and the specs and the new profile pass dcr check.

Options:
  --profile FILE              the legacy cleanrooms.json (required)
  --out DIR                   where to write (required; existing files are overwritten)
  --analysis NAME             migrate only this analysis (default: all)
  --format text|json          the report as text (default) or one JSON object
  -h, --help                  show this help

Exit codes: 0 migrated with no open decision, 1 the report lists decisions for a person,
2 usage or I/O error.
`;

export const migrateCommand: Command = {
  name: 'migrate',
  summary: 'move legacy clean rooms (templates + cleanrooms.json) to Collaboration API specs, checked',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('migrate', argv, {
      profile: { type: 'string' },
      out: { type: 'string' },
      analysis: { type: 'string' },
      format: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    if (parsed.positionals.length) throw new UsageError(`migrate: unexpected argument '${parsed.positionals[0]}' (see 'dcr migrate --help')`);
    if (!v.profile) throw new UsageError('migrate: --profile FILE is required');
    if (!v.out) throw new UsageError('migrate: --out DIR is required');
    const format = v.format ?? 'text';
    if (format !== 'text' && format !== 'json') throw new UsageError(`migrate: --format must be text or json, not '${format}'`);
    const loaded = loadProfile(v.profile, io.cwd);
    const out = resolve(io.cwd, v.out);
    const result = migrateProfile({
      profileText: loaded.text,
      templateText: templateReader(loaded.path),
      ...(v.analysis !== undefined ? { analysis: v.analysis } : { templateFiles: filesNear(dirname(loaded.path), out) }),
    });
    if (result.report.fatal) throw new UsageError(`migrate: ${result.report.fatal}`);
    for (const f of result.files) {
      const path = join(out, ...f.path.split('/'));
      try {
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, f.text);
      } catch (err) {
        throw new UsageError(`migrate: cannot write ${displayPath(path, io.cwd)}: ${reason(err)}`);
      }
    }
    const shownOut = displayPath(out, io.cwd) || '.';
    if (format === 'json') io.stdout(JSON.stringify({ ...result.report, out: shownOut }, null, 2) + '\n');
    else io.stdout(textReport(result.report, shownOut));
    return result.report.decisions.length ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** Template files and worksheets under the profile's folder (not in the output folder), for templates no analysis names. */
function filesNear(folder: string, out: string): { path: string; text: string }[] {
  const files: { path: string; text: string }[] = [];
  for (const abs of collectFiles([folder], folder)) {
    if (abs === out || abs.startsWith(out + sep) || /\.ya?ml$/i.test(abs)) continue;
    // Bounded: a profile in a huge folder still migrates; only the search for files stops.
    if (files.length >= 2000) break;
    try {
      files.push({ path: relative(folder, abs).split(sep).join('/'), text: readFileSync(abs, 'utf8').replace(/^\uFEFF/, '') });
    } catch {
      // An unreadable file is one the migration cannot use; the report says when a template is missing.
    }
  }
  return files;
}

export function textReport(r: MigrationReport, out: string): string {
  const lines: string[] = [];
  const s = r.summary;
  lines.push(
    `Migrated ${s.analyses} analys${s.analyses === 1 ? 'is' : 'es'} (${s.analysesClean} clean) and ${s.templates} template${s.templates === 1 ? '' : 's'} (${s.templatesClean} clean) into ${out}:`,
  );
  for (const f of r.files) lines.push(`  ${f}`);
  const sampled = r.templates.filter(t => t.sampleRenders);
  if (sampled.length) {
    lines.push('', 'Templates no analysis runs (checked on sample arguments):');
    for (const t of sampled)
      lines.push(
        `  ${t.sampleRenders!.equal === t.sampleRenders!.compared ? 'same' : 'DIFFERENT'}  ${t.legacyName} (${t.sampleRenders!.equal} of ${t.sampleRenders!.compared} sample renders equal)`,
      );
  }
  lines.push('', 'Renders (legacy vs migrated, apart from alias and table renaming):');
  for (const c of r.renders) lines.push(`  ${c.equal ? 'same' : 'DIFFERENT'}  ${c.analysis} (${c.template}${c.scope === 'cluster' ? ', cluster render' : ''})`);
  lines.push('', `Changes (${r.changes.length}):`);
  for (const c of r.changes) lines.push(`  ${c.where}: ${c.message}`);
  if (r.fillIn.length) {
    lines.push('', `To fill in (${r.fillIn.length}):`);
    for (const c of r.fillIn) lines.push(`  ${c.where}: ${c.message}`);
  }
  lines.push('', r.decisions.length ? `Decisions for a person (${r.decisions.length}):` : 'No open decisions.');
  for (const d of r.decisions) {
    lines.push(`  ${d.where}: ${d.message}`, `    why: ${d.reason}`);
    if (d.diff) lines.push(...d.diff.split('\n').map(l => `    ${l}`));
  }
  return lines.join('\n') + '\n';
}
