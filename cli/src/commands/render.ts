/** `dcr render TEMPLATE --args FILE`: the SQL exactly as the clean room would render it. */
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseDocument, renderTemplate, repr, toJs, type RenderOutcome, type RenderRequest } from '../../../core/src/index.js';
import { readText, displayPath } from '../files.js';
import { ProfileFinder } from '../profile.js';
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
    if (parsed.positionals.length !== 1) throw new UsageError("render: expected exactly one TEMPLATE (see 'dcr render --help')");
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

    let analysisName: string | null = null;
    let request: RenderRequest;
    if (v.analysis !== undefined) {
      const found = await new ProfileFinder(io.cwd, v.profile).forFile(path);
      if (!found) throw new UsageError(`render: no cleanrooms.json found from ${shownPath} upwards; pass --profile FILE`);
      const { profile } = found.loaded;
      const analysis = profile.analyses.get(v.analysis);
      if (!analysis) {
        const names = [...profile.analyses.keys()].map(n => `'${n}'`).join(', ');
        throw new UsageError(
          `render: no analysis '${v.analysis}' in ${displayPath(found.loaded.path, io.cwd)} (${names ? `analyses: ${names}` : 'it has no valid analyses'})`,
        );
      }
      if (v.cleanroom !== undefined && !analysis.cleanrooms.includes(v.cleanroom)) {
        throw new UsageError(
          `render: analysis '${analysis.name}' does not run in clean room '${v.cleanroom}' (it runs in ${analysis.cleanrooms.map(c => `'${c}'`).join(', ')})`,
        );
      }
      analysisName = analysis.name;
      // The analysis is rendered whether or not its template path names this file: the user asked for it.
      request = {
        model,
        profile: { profile, templatePath: found.templatePath },
        useAnalyses: true,
        analysis: analysis.name,
        pin: true,
        ...(v.cleanroom !== undefined ? { cleanroom: v.cleanroom } : {}),
        fallback: { kind: 'none' },
      };
    } else {
      let fallback: RenderRequest['fallback'] = { kind: 'none' };
      if (v.args !== undefined) {
        const argsText = v.args === '-' ? readFileSync(0, 'utf8') : readText(resolve(io.cwd, v.args), v.args);
        fallback = { kind: 'json', label: v.args, text: argsText };
      }
      request = { model, template: 0, useAnalyses: false, fallback };
    }
    const plan = renderTemplate(request);
    if (!plan.region) throw new UsageError(`render: no template found in ${shownPath}`);
    const argsProblem = plan.sections.find(sec => sec.problem !== undefined);
    if (argsProblem) throw new UsageError(`render: ${argsProblem.problem}`);
    const sections = plan.sections.map(sec => ({ ...sec, header: plan.analysis ? sec.title : null, outcome: sec.outcome! }));

    const sqlOf = (o: RenderOutcome) => (bindMode === 'inline' ? o.output : o.query) ?? null;
    if (format === 'json') {
      io.stdout(
        JSON.stringify(
          {
            version: 1,
            template: shownPath,
            analysis: analysisName,
            renders: sections.map(sec => ({
              // The json contract knows two scopes: a render without an analysis is one unnamed room.
              scope: sec.scope === 'cluster' ? 'cluster' : 'cleanroom',
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
          io.stderr(
            `${shownPath}:${d.line}:${d.column}: ${d.severity} ${d.code} ${d.message.split('\n')[0]}${sec.header ? ` [${sec.header.slice(3)}]` : ''}\n`,
          );
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
