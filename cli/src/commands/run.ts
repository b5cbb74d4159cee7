/** `dcr run --analysis NAME`: runs an analysis from cleanrooms.json in the clean room(s). */
import { parseArgs } from 'node:util';
import { EXIT_OK, UsageError, usageFromParseError, type CliIO, type Command } from '../io.js';
import { displayPath, readText } from '../files.js';
import { COMMON_HELP, COMMON_OPTIONS, commonFrom, findProfile, oneOf, printResult, withSession } from '../snowflake.js';

const HELP = `Usage: dcr run --analysis NAME [options]

Runs an analysis from cleanrooms.json as the consumer. One clean room: consumer.run_analysis
(my_table → consumer tables, source_table → provider tables, the rest as arguments).
Several clean rooms (multi-provider): consumer.prepare_multiprovider_flow, then
consumer.execute_multiprovider_flow once the providers have approved.

Options:
  --analysis NAME             analysis in the profile (required)
  --profile FILE              cleanrooms.json (default: the nearest one)
  --step prepare|execute|all  multi-provider: which step to run (default: all)
  --dry-run                   print the statements and binds; send nothing
${COMMON_HELP}
`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run an analysis from cleanrooms.json (run_analysis or the multi-provider flow)',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    let parsed;
    try {
      parsed = parseArgs({ args: argv, allowPositionals: false, strict: true, options: { ...COMMON_OPTIONS, analysis: { type: 'string' }, profile: { type: 'string' }, step: { type: 'string' }, 'dry-run': { type: 'boolean' } } });
    } catch (err) {
      throw usageFromParseError('run', err);
    }
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    if (!v.analysis) throw new UsageError('run: --analysis NAME is required');
    const common = commonFrom('run', v);
    const step = oneOf('run', 'step', v.step, ['prepare', 'execute', 'all'] as const, 'all');
    const profilePath = findProfile(v.profile, io.cwd, io.cwd);
    const shown = displayPath(profilePath, io.cwd);
    const g = await import('../../../gateway/src/index.js');
    let statements;
    try {
      const a = g.analysisInput(g.parseProfile(readText(profilePath, shown), shown), v.analysis, shown);
      statements =
        a.cleanrooms.length === 1
          ? [g.runAnalysisStatement(a)]
          : [...(step !== 'execute' ? [g.prepareMultiproviderStatement(a)] : []), ...(step !== 'prepare' ? [g.executeMultiproviderStatement(a)] : [])];
    } catch (err) {
      if (err instanceof g.GatewayError) throw new UsageError(`run: ${err.message}`);
      throw err;
    }
    if (v['dry-run']) {
      io.stdout(`-- dry run: nothing is sent\n${statements.map(g.formatStatement).join('\n')}\n`);
      return EXIT_OK;
    }
    return withSession(io, common, async (session, out) => {
      for (const s of statements) {
        const r = await session.run(s, { deadlineMs: common.deadlineMs });
        if (common.format === 'text' && statements.length > 1) out.stdout(`-- ${s.id}\n`);
        printResult(out, g, common.format, r);
      }
      return EXIT_OK;
    });
  },
};
