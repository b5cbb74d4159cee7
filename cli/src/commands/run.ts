/** `dcr run --analysis NAME`: runs an analysis from cleanrooms.json the way its flow is documented. */
import { dirname, resolve } from 'node:path';
import { EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { displayPath, readText } from '../files.js';
import { loadProfile } from '../profile.js';
import { checkText, forAnalysis, gate, printDryRun } from '../preflight.js';
import { COMMON_HELP, COMMON_OPTIONS, commonFrom, findProfile, gateway, oneOf, printResult, withSession } from '../snowflake.js';

const HELP = `Usage: dcr run --analysis NAME [options]

Runs an analysis from cleanrooms.json with the procedures its flow documents:
  legacy, consumer-run      consumer.run_analysis (my_table -> consumer tables,
                            source_table -> provider tables, the rest as arguments)
  legacy, "runAs": "provider"
                            provider.submit_analysis_request (needs --consumer), then
                            provider.check_analysis_status until COMPLETED, then
                            provider.get_analysis_result; the consumer enables the template
                            first ('dcr setup enable-provider-run')
  legacy, activation template (named activation_*, or creating cleanroom.activation_data_*)
                            consumer.view_provider_activation_policy (the provider must allow
                            the template), then consumer.run_activation (needs --segment)
  legacy, several clean rooms (multi-provider)
                            --step prepare (default): consumer.prepare_multiprovider_flow;
                            --step execute, once every provider processed the request:
                            consumer.execute_multiprovider_flow
  Collaboration API ("api": "collaboration")
                            USE SECONDARY ROLES NONE, then COLLABORATION.RUN with an analysis
                            spec (template ID, source_tables, my_tables, arguments; for an
                            activation template also the destination and segment)
The template and its arguments are checked first, as the editor checks them (DCR3xx against
the profile's policies included); every finding is shown and error findings stop the run
unless --force.

Options:
  --analysis NAME             analysis in the profile (required)
  --profile FILE              cleanrooms.json (default: the nearest one)
  --api legacy|collaboration  API generation (default: the profile's "api", else legacy)
  --role consumer|provider    who runs it (default: the analysis' "runAs", else consumer)
  --consumer LOCATOR          provider-run: the consumer's account locator
  --request ID                provider-run: follow a request already submitted
  --poll SECONDS              provider-run: time between status checks (default: 5)
  --segment NAME              activation: the segment name
  --activate-to WHO           activation: legacy consumer|provider (default: consumer);
                              Collaboration: the destination collaborator's alias
  --template-id ID            Collaboration: the registered template ID (default: from the
                              template spec, {name}_{version}, else the template name)
  --step prepare|execute      multi-provider: which step (default: prepare)
  --dry-run                   run the checks, print the statements and binds; send nothing
                              (exit 1 when an error finding would stop the run)
  --force                     run even with error findings
${COMMON_HELP}

Exit codes: 0 done, 1 error findings or a failed Snowflake call, 2 usage or configuration.
`;

export const runCommand: Command = {
  name: 'run',
  summary: 'run an analysis from cleanrooms.json (consumer- or provider-run, activation, multi-provider, Collaboration RUN)',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('run', argv, {
      ...COMMON_OPTIONS,
      analysis: { type: 'string' },
      profile: { type: 'string' },
      api: { type: 'string' },
      role: { type: 'string' },
      consumer: { type: 'string' },
      request: { type: 'string' },
      poll: { type: 'string' },
      segment: { type: 'string' },
      'activate-to': { type: 'string' },
      'template-id': { type: 'string' },
      step: { type: 'string' },
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
    });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    if (parsed.positionals.length) throw new UsageError(`run: unexpected argument '${parsed.positionals[0]}' (see 'dcr run --help')`);
    if (!v.analysis) throw new UsageError('run: --analysis NAME is required');
    const common = commonFrom('run', v);
    const step = oneOf('run', 'step', v.step, ['prepare', 'execute'] as const, 'prepare');
    const pollSeconds = v.poll === undefined ? 5 : Number(v.poll);
    if (!Number.isFinite(pollSeconds) || pollSeconds < 0) throw new UsageError(`run: --poll must be a number of seconds (got '${v.poll}')`);
    const profilePath = findProfile(v.profile, io.cwd, io.cwd);
    const shown = displayPath(profilePath, io.cwd);
    const g = await gateway();
    const coreProfile = loadProfile(profilePath, io.cwd);
    let request;
    let findings;
    let plan;
    try {
      const profile = g.parseProfile(coreProfile.text, shown);
      const a = g.analysisInput(profile, v.analysis, shown);
      const api = oneOf('run', 'api', v.api, ['legacy', 'collaboration'] as const, profile.api ?? 'legacy');
      const runAs = oneOf('run', 'role', v.role, ['consumer', 'provider'] as const, a.runAs);
      const templateAbs = resolve(dirname(profilePath), a.template);
      const templateShown = displayPath(templateAbs, io.cwd);
      const templateText = readText(templateAbs, templateShown);
      findings = forAnalysis(
        checkText({
          text: templateText,
          path: templateAbs,
          shown: templateShown,
          api,
          profile: { profile: coreProfile.profile, templatePath: a.template.replace(/\\/g, '/').replace(/^\.\//, '') },
        }),
        v.analysis,
      );
      const isSpec = /\.ya?ml$/i.test(a.template);
      const activateTo = v['activate-to'];
      request = {
        ...a,
        api,
        runAs,
        templateText,
        templateId: v['template-id'] ?? (isSpec ? g.predictedTemplateId(templateText) : undefined),
        consumer: v.consumer,
        step,
        activation: {
          segment: v.segment,
          ...(api === 'collaboration'
            ? { collaborator: activateTo }
            : { to: oneOf('run', 'activate-to', activateTo, ['consumer', 'provider'] as const, 'consumer') }),
        },
      };
      plan = g.analysisPlan(request);
    } catch (err) {
      if (err instanceof g.GatewayError) throw new UsageError(`run: ${err.message}`);
      throw err;
    }
    const flow =
      plan.kind === 'provider-run'
        ? `-- flow: provider-run; then provider.check_analysis_status every ${pollSeconds} s until COMPLETED, then provider.get_analysis_result\n`
        : plan.kind === 'multiprovider' && step === 'prepare'
          ? `-- flow: multi-provider, step prepare; each provider then processes the request, and 'dcr run --analysis ${v.analysis} --step execute' runs it\n`
          : `-- flow: ${plan.kind}\n`;
    const statements = v.request && plan.kind === 'provider-run' ? [] : plan.statements;
    if (v['dry-run'])
      return printDryRun(io, common, g, [...plan.checks, ...statements], findings, { force: v.force, preamble: flow, extra: { kind: plan.kind } });
    const stop = gate(io, 'run', findings, v.force);
    if (stop !== undefined) return stop;
    const req = request;
    return withSession(io, common, async (session, out, gw) => {
      const outcome = await gw.runAnalysisFlow(session, req, {
        deadlineMs: common.deadlineMs,
        intervalMs: Math.round(pollSeconds * 1000),
        ...(v.request ? { requestId: v.request } : {}),
        onStatus: (status, n) => out.stderr(`dcr: run: request status ${status || '(none)'} (check ${n})\n`),
      });
      const shown = outcome.steps.filter(x => x.statement.id !== 'provider.check_analysis_status' && x.statement.id !== 'session.use_secondary_roles_none');
      if (common.format === 'text' && shown.length > 1) for (const s of shown) out.stdout(`-- ${s.statement.id} (query ID ${s.result.queryId ?? '-'})\n`);
      printResult(out, gw, common.format, outcome.result);
      if (outcome.kind === 'multiprovider' && step === 'prepare')
        out.stderr(`dcr: run: prepared; once every provider has processed the request, run: dcr run --analysis ${v.analysis} --step execute\n`);
      return EXIT_OK;
    });
  },
};
