/** `dcr render TEMPLATE --args FILE`: the SQL exactly as the clean room would render it. */
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseDocument } from '../../../core/src/analyze.js';
import { renderString, parseArguments, toJs, repr } from '../../../core/src/jinja/index.js';
import { PyDict } from '../../../core/src/jinja/runtime/values.js';
import type { Finding } from '../../../core/src/findings.js';
import { readText, displayPath } from '../files.js';
import { ProfileFinder } from '../profile.js';
import { renderAnalysis } from '../../../core/src/profile/analyses.js';
import { profileRules } from '../../../core/src/rules/profileChecks.js';
import type { RenderOutcome } from '../../../core/src/jinja/index.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { toCliDiagnostic } from '../report/model.js';

const HELP = `Usage: dcr render TEMPLATE [options]

Renders a clean room template with JinjaSQL semantics: every {{ … }} is bound unless it
ends in sqlsafe, inclause or bind. TEMPLATE may be a template file, a .sql worksheet
(its first embedded template) or a template-spec YAML.

Options:
  --args FILE                 JSON object of arguments (as passed to run_analysis, with
                              source_table and my_table); '-' reads standard input
  --format sql|json           output format (default: sql)
  --binds inline|placeholders inline bound values as SQL literals (default), or show ?
                              placeholders and the bind list
  --analysis NAME             render an analysis of cleanrooms.json with its arguments: a
                              multi-provider analysis renders once for the cluster and once
                              per clean room; policy checks (DCR3xx) come with each render
  --profile FILE              the cleanrooms.json (default: the nearest one walking up from
                              TEMPLATE)
  --cleanroom NAME            only the render of that clean room
  -h, --help                  show this help

Exit codes: 0 rendered, 1 the template failed to render or a check found an error,
2 usage or I/O error.
`;

export const renderCommand: Command = {
  name: 'render',
  summary: 'render a template with arguments to the SQL Snowflake would run',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('render', argv, {
          args: { type: 'string' },
          format: { type: 'string' },
          binds: { type: 'string' },
          analysis: { type: 'string' },
          profile: { type: 'string' },
          cleanroom: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    if (parsed.positionals.length !== 1) throw new UsageError('render: expected exactly one TEMPLATE (see \'dcr render --help\')');
    const format = v.format ?? 'sql';
    if (format !== 'sql' && format !== 'json') throw new UsageError(`render: --format must be sql or json, not '${format}'`);
    const bindMode = v.binds ?? 'inline';
    if (bindMode !== 'inline' && bindMode !== 'placeholders') throw new UsageError(`render: --binds must be inline or placeholders, not '${bindMode}'`);
    if (v.cleanroom !== undefined && v.analysis === undefined) throw new UsageError('render: --cleanroom needs --analysis NAME');
    if (v.args !== undefined && v.analysis !== undefined) throw new UsageError('render: use either --args FILE or --analysis NAME, not both');

    const path = resolve(io.cwd, parsed.positionals[0]!);
    const text = readText(path, parsed.positionals[0]!);
    const shownPath = displayPath(path, io.cwd);
    const model = parseDocument({ text, path });

    interface Section {
      scope: 'cluster' | 'cleanroom';
      cleanroom: string | null;
      header: string | null;
      outcome: RenderOutcome;
      findings: Finding[];
    }
    const sections: Section[] = [];
    let analysisName: string | null = null;

    if (v.analysis !== undefined) {
      const found = new ProfileFinder(io.cwd, v.profile).forFile(path);
      if (!found) throw new UsageError(`render: no cleanrooms.json found from ${shownPath} upwards; pass --profile FILE`);
      const { profile } = found.loaded;
      const analysis = profile.analyses.get(v.analysis);
      if (!analysis) {
        const names = [...profile.analyses.keys()].map(n => `'${n}'`).join(', ');
        throw new UsageError(`render: no analysis '${v.analysis}' in ${displayPath(found.loaded.path, io.cwd)} (${names ? `analyses: ${names}` : 'it has no valid analyses'})`);
      }
      analysisName = analysis.name;
      const region = model.templates.find(t => t.region.meta.templateName === analysis.templateName) ?? model.templates[0];
      if (!region) throw new UsageError(`render: no template found in ${shownPath}`);
      let renders = renderAnalysis(region.region.text, region.parse, analysis, profile).renders;
      if (v.cleanroom !== undefined) {
        if (!analysis.cleanrooms.includes(v.cleanroom)) throw new UsageError(`render: analysis '${analysis.name}' does not run in clean room '${v.cleanroom}' (it runs in ${analysis.cleanrooms.map(c => `'${c}'`).join(', ')})`);
        renders = renders.filter(r => r.scope === 'cleanroom' && r.cleanroom === v.cleanroom);
      }
      const multi = analysis.cleanrooms.length > 1;
      for (const r of renders) {
        const one = { analysis, renders: [r] };
        const checks = profileRules(one, profile, { api: profile.api, parsed: region.parse, source: region.region.text })
          // A render error is reported below with the other render problems.
          .filter(f => f.code !== 'DCR010')
          .map(f => ({ ...f, span: region.region.toHost(f.span) }));
        if (multi && r.scope === 'cleanroom') for (const f of checks) f.message = f.message.replace(/for analysis '([^']*)'/, `for analysis '$1' (in clean room '${r.cleanroom}')`);
        sections.push({
          scope: r.scope,
          cleanroom: r.cleanroom,
          header: r.scope === 'cluster' ? `-- cluster: ${analysis.cleanrooms.join(', ')}` : `-- cleanroom: ${r.cleanroom}`,
          outcome: r.outcome,
          findings: [...renderProblems(r.outcome, region.region.toHost), ...checks],
        });
      }
    } else {
      let args: PyDict = new PyDict();
      if (v.args !== undefined) {
        const argsText = v.args === '-' ? readFileSync(0, 'utf8') : readText(resolve(io.cwd, v.args), v.args);
        let value;
        try {
          value = parseArguments(argsText);
        } catch (err) {
          throw new UsageError(`render: ${v.args} is not valid JSON: ${err instanceof Error ? err.message : String(err)}`);
        }
        if (!(value instanceof PyDict)) throw new UsageError(`render: ${v.args} must hold a JSON object of arguments`);
        args = value;
      }
      const first = model.templates[0];
      if (!first) throw new UsageError(`render: no template found in ${shownPath}`);
      const outcome = renderString(first.region.text, args, { jinjasql: true, parsed: first.parse });
      sections.push({ scope: 'cleanroom', cleanroom: null, header: null, outcome, findings: renderProblems(outcome, first.region.toHost) });
    }

    const sqlOf = (o: RenderOutcome) => (bindMode === 'inline' ? o.output : o.query) ?? null;
    if (format === 'json') {
      io.stdout(
        JSON.stringify(
          {
            version: 1,
            template: shownPath,
            analysis: analysisName,
            renders: sections.map(sec => ({
              scope: sec.scope,
              cleanroom: sec.cleanroom,
              sql: sqlOf(sec.outcome),
              binds: bindMode === 'placeholders' ? (sec.outcome.binds ?? []).map(b => ({ name: b.name, value: toJs(b.value) })) : [],
              diagnostics: sec.findings.map(f => toCliDiagnostic(f, model.lines)),
            })),
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      sections.forEach((sec, i) => {
        // A blank line between sections keeps each room's SQL readable on its own.
        if (i > 0 && sec.header) io.stdout('\n');
        for (const f of sec.findings) {
          const d = toCliDiagnostic(f, model.lines);
          io.stderr(`${shownPath}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message.split('\n')[0]}${sec.header ? ` [${sec.header.slice(3)}]` : ''}\n`);
        }
        const sql = sqlOf(sec.outcome);
        if (sec.header) io.stdout(sec.header + '\n');
        if (sql !== null) {
          io.stdout(sql.endsWith('\n') ? sql : sql + '\n');
          if (bindMode === 'placeholders' && sec.outcome.binds?.length) {
            io.stdout('-- binds:\n' + sec.outcome.binds.map((b, k) => `--   ${k + 1}. ${b.name} = ${repr(b.value)}`).join('\n') + '\n');
          }
        }
      });
    }
    const failed = sections.some(sec => sec.findings.some(f => f.severity === 'error'));
    return failed ? EXIT_FINDINGS : EXIT_OK;
  },
};

/** Syntax errors and the render error of one render, in host offsets. */
function renderProblems(outcome: RenderOutcome, toHost: (s: { start: number; end: number }) => { start: number; end: number }): Finding[] {
  const findings: Finding[] = outcome.syntaxErrors.map(f => ({ ...f, span: toHost(f.span) }));
  if (outcome.error && !outcome.syntaxErrors.length) {
    const span = outcome.error.span ?? { start: 0, end: 0 };
    findings.push({ code: 'DCR010', severity: 'error', message: `${outcome.error.type}: ${outcome.error.message}`, span: toHost(span) });
  }
  return findings;
}
