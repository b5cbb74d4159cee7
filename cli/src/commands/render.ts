/** `dcr render TEMPLATE --args FILE`: the SQL exactly as the clean room would render it. */
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { readFileSync } from 'node:fs';
import { parseDocument } from '../../../core/src/analyze.js';
import { renderString, parseArguments, toJs, repr } from '../../../core/src/jinja/index.js';
import { PyDict } from '../../../core/src/jinja/runtime/values.js';
import type { Finding } from '../../../core/src/findings.js';
import { readText, displayPath } from '../files.js';
import { EXIT_FINDINGS, EXIT_OK, UsageError, usageFromParseError, type CliIO, type Command } from '../io.js';
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
  --analysis NAME, --profile FILE, --cleanroom NAME
                              render an analysis from cleanrooms.json (coming with profiles)
  -h, --help                  show this help

Exit codes: 0 rendered, 1 the template failed to render, 2 usage or I/O error.
`;

export const renderCommand: Command = {
  name: 'render',
  summary: 'render a template with arguments to the SQL Snowflake would run',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({
        args: argv,
        allowPositionals: true,
        strict: true,
        options: {
          args: { type: 'string' },
          format: { type: 'string' },
          binds: { type: 'string' },
          analysis: { type: 'string' },
          profile: { type: 'string' },
          cleanroom: { type: 'string' },
          help: { type: 'boolean', short: 'h' },
        },
      });
    } catch (err) {
      throw usageFromParseError('render', err);
    }
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
    if (v.analysis || v.cleanroom) throw new UsageError('render: --analysis and --cleanroom need clean room profiles, which this version does not read yet; use --args FILE');

    const path = resolve(io.cwd, parsed.positionals[0]!);
    const text = readText(path, parsed.positionals[0]!);
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

    const model = parseDocument({ text, path });
    const first = model.templates[0];
    if (!first) throw new UsageError(`render: no template found in ${displayPath(path, io.cwd)}`);
    const outcome = renderString(first.region.text, args, { jinjasql: true, parsed: first.parse });
    const findings: Finding[] = outcome.syntaxErrors.map(f => ({ ...f, span: first.region.toHost(f.span) }));
    if (outcome.error && !outcome.syntaxErrors.length) {
      const span = outcome.error.span ?? { start: 0, end: 0 };
      findings.push({ code: 'DCR010', severity: 'error', message: `${outcome.error.type}: ${outcome.error.message}`, span: first.region.toHost(span) });
    }
    const sql = (bindMode === 'inline' ? outcome.output : outcome.query) ?? null;
    const binds = (outcome.binds ?? []).map(b => ({ name: b.name, value: toJs(b.value) }));

    if (format === 'json') {
      const diagnostics = findings.map(f => toCliDiagnostic(f, model.lines));
      io.stdout(
        JSON.stringify(
          {
            version: 1,
            template: displayPath(path, io.cwd),
            analysis: null,
            renders: [{ scope: 'cleanroom', cleanroom: null, sql, binds: bindMode === 'placeholders' ? binds : [], diagnostics }],
          },
          null,
          2,
        ) + '\n',
      );
    } else {
      for (const f of findings) {
        const d = toCliDiagnostic(f, model.lines);
        io.stderr(`${displayPath(path, io.cwd)}:${d.line}:${d.column}: error ${d.code} ${d.message}\n`);
      }
      if (sql !== null) {
        io.stdout(sql.endsWith('\n') ? sql : sql + '\n');
        if (bindMode === 'placeholders' && outcome.binds?.length) {
          io.stdout('-- binds:\n' + outcome.binds.map((b, i) => `--   ${i + 1}. ${b.name} = ${repr(b.value)}`).join('\n') + '\n');
        }
      }
    }
    return findings.length ? EXIT_FINDINGS : EXIT_OK;
  },
};
