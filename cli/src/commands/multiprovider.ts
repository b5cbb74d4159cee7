/** `dcr multiprovider …`: the provider's side of multi-provider analyses, the whole lifecycle. */
import { dirname, resolve } from 'node:path';
import { EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { displayPath, readText } from '../files.js';
import { loadProfile } from '../profile.js';
import { checkText, forAnalysis, gate, printDryRun, type PreflightFinding } from '../preflight.js';
import { COMMON_HELP, COMMON_OPTIONS, commonFrom, findProfile, gateway, printResult, withSession } from '../snowflake.js';

const HELP = `Usage: dcr multiprovider enable  --cleanroom NAME --consumer LOCATOR --with CLEANROOMS [options]
       dcr multiprovider requests --cleanroom NAME --consumer LOCATOR [options]
       dcr multiprovider process  --cleanroom NAME --consumer LOCATOR [--request ID] [options]
       dcr multiprovider revoke   --cleanroom NAME --consumer LOCATOR [options]
       dcr multiprovider suspend|resume --cleanroom NAME --consumer LOCATOR [options]

The provider's steps of a multi-provider analysis (the consumer prepares and executes it with
'dcr run --analysis NAME --step prepare|execute'):
  enable    allows multi-provider computation for a consumer with the other clean rooms
            (provider.enable_multiprovider_computation; --with names them as the
            documentation shows, e.g. ORG.ACCOUNT_LOCATOR.CLEAN_ROOM)
  requests  the consumer's entries in the multi-provider request log
            (provider.view_multiprovider_requests)
  process   approves and processes one request, or every waiting one with --request -1 (the
            default) (provider.process_multiprovider_request); with --analysis, the analysis'
            template and arguments are checked first as the editor checks them
  revoke    revokes the consumer's approved entries in the request log (the documented UPDATE
            of SAMOOHA_CLEANROOM_<name>.ADMIN.REQUEST_LOG_MULTIPROVIDER)
  suspend   pauses the task that processes the consumer's requests
            (provider.suspend_multiprovider_tasks); resume restarts it
            (provider.resume_multiprovider_tasks)

Options:
  --cleanroom NAME            clean room name (required)
  --consumer LOCATOR          the consumer's account locator (required)
  --with CLEANROOMS           enable: the other clean rooms of the analysis
  --request ID                process: the request ID (default: -1, every waiting request)
  --analysis NAME             process: check this analysis of the profile before processing
  --profile FILE              cleanrooms.json (default: the nearest one)
  --dry-run                   run the checks, print the statement; send nothing (exit 1
                              when an error finding would stop the command)
  --force                     process even with error findings
${COMMON_HELP}

Exit codes: 0 done, 1 error findings or a failed Snowflake call, 2 usage or configuration.
`;

const ACTIONS = ['enable', 'requests', 'process', 'revoke', 'suspend', 'resume'] as const;
type Action = (typeof ACTIONS)[number];

export const multiproviderCommand: Command = {
  name: 'multiprovider',
  summary: 'provider: enable, view, process, revoke, suspend and resume multi-provider requests',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('multiprovider', argv, {
      ...COMMON_OPTIONS,
      cleanroom: { type: 'string' },
      consumer: { type: 'string' },
      request: { type: 'string' },
      with: { type: 'string' },
      analysis: { type: 'string' },
      profile: { type: 'string' },
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
    });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    const [first, ...extra] = parsed.positionals;
    if (!ACTIONS.includes(first as Action) || extra.length)
      throw new UsageError(`multiprovider: expected ${ACTIONS.join(', ')} (see 'dcr multiprovider --help')`);
    const action = first as Action;
    if (!v.cleanroom || !v.consumer) throw new UsageError(`multiprovider ${action}: --cleanroom NAME and --consumer LOCATOR are required`);
    if (action === 'enable' && !v.with)
      throw new UsageError('multiprovider enable: --with CLEANROOMS is required (the other clean rooms, e.g. ORG.ACCOUNT_LOCATOR.CLEAN_ROOM)');
    const requestId = v.request ?? '-1';
    if (!/^-1$|^[\w-]+$/.test(requestId)) throw new UsageError(`multiprovider process: --request must be a request ID or -1 (got '${requestId}')`);
    const common = commonFrom('multiprovider', v);
    const { cleanroom, consumer } = v;
    const g = await gateway();
    let s;
    try {
      const who = { cleanroom, consumer };
      s = {
        enable: () => g.statement('provider.enable_multiprovider_computation', { ...who, otherCleanrooms: v.with! }),
        requests: () => g.statement('provider.view_multiprovider_requests', who),
        process: () => g.statement('provider.process_multiprovider_request', { ...who, requestId }),
        revoke: () => g.statement('provider.revoke_multiprovider_requests', who),
        suspend: () => g.statement('provider.suspend_multiprovider_tasks', who),
        resume: () => g.statement('provider.resume_multiprovider_tasks', who),
      }[action]();
    } catch (err) {
      if (err instanceof g.GatewayError) throw new UsageError(`multiprovider ${action}: ${err.message}`);
      throw err;
    }
    let findings: PreflightFinding[] = [];
    if (v.analysis) {
      const profilePath = findProfile(v.profile, io.cwd, io.cwd);
      const loaded = loadProfile(profilePath, io.cwd);
      const a = g.analysisInput(g.parseProfile(loaded.text, displayPath(profilePath, io.cwd)), v.analysis, displayPath(profilePath, io.cwd));
      const abs = resolve(dirname(profilePath), a.template);
      const shown = displayPath(abs, io.cwd);
      findings = forAnalysis(
        checkText({ text: readText(abs, shown), path: abs, shown, api: 'legacy', profile: { profile: loaded.profile, templatePath: a.template } }),
        v.analysis,
      );
    } else if (action === 'process') {
      io.stderr(`dcr: multiprovider process: no template checked (pass --analysis NAME to check the analysis' template and arguments first)\n`);
    }
    if (v['dry-run'] && g.describeStatement(s.id)?.writes) return printDryRun(io, common, g, [s], findings, { force: v.force });
    const stop = gate(io, `multiprovider ${action}`, findings, v.force);
    if (stop !== undefined) return stop;
    const stmt = s;
    return withSession(io, common, async (session, out, gw) => {
      printResult(out, gw, common.format, await session.run(stmt, { deadlineMs: common.deadlineMs }));
      return EXIT_OK;
    });
  },
};
