/** `dcr setup …`: the consents and enablements a flow needs before it can run. */
import { EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { printDryRun } from '../preflight.js';
import { COMMON_HELP, COMMON_OPTIONS, commonFrom, gateway, printResult, withSession } from '../snowflake.js';

const HELP = `Usage: dcr setup enable-provider-run --cleanroom NAME --template NAME… [--differential-privacy] [options]
       dcr setup request-activation-consent --cleanroom NAME --template NAME [options]
       dcr setup approve-activation-consent --cleanroom NAME --template NAME [options]

Legacy API set-up steps:
  enable-provider-run         consumer: lets the provider run these templates on your data
                              (consumer.enable_templates_for_provider_run); needed before a
                              "runAs": "provider" analysis
  request-activation-consent  provider: asks the consumer to allow activation of an activation
                              template to the provider (provider.request_provider_activation_consent)
  approve-activation-consent  consumer: allows it (consumer.approve_provider_activation_consent);
                              needed before 'dcr run --activate-to provider'

Options:
  --cleanroom NAME            clean room name (required)
  --template NAME             template name (enable-provider-run: repeatable)
  --differential-privacy      enable-provider-run: with differential privacy
  --dry-run                   print the statement; send nothing
${COMMON_HELP}

Exit codes: 0 done, 1 a failed Snowflake call, 2 usage or configuration.
`;

const ACTIONS = ['enable-provider-run', 'request-activation-consent', 'approve-activation-consent'] as const;

export const setupCommand: Command = {
  name: 'setup',
  summary: 'consents and enablements: provider-run analyses, activation consent',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('setup', argv, {
      ...COMMON_OPTIONS,
      cleanroom: { type: 'string' },
      template: { type: 'string', multiple: true },
      'differential-privacy': { type: 'boolean' },
      'dry-run': { type: 'boolean' },
    });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    const [action, ...extra] = parsed.positionals;
    if (!ACTIONS.includes(action as (typeof ACTIONS)[number]) || extra.length)
      throw new UsageError(`setup: expected ${ACTIONS.join(', ')} (see 'dcr setup --help')`);
    if (!v.cleanroom) throw new UsageError(`setup ${action}: --cleanroom NAME is required`);
    const templates = v.template ?? [];
    if (!templates.length || (action !== 'enable-provider-run' && templates.length !== 1))
      throw new UsageError(`setup ${action}: ${action === 'enable-provider-run' ? 'at least one --template NAME' : 'exactly one --template NAME'} is required`);
    const common = commonFrom('setup', v);
    const g = await gateway();
    const cleanroom = v.cleanroom;
    const s =
      action === 'enable-provider-run'
        ? g.statement('consumer.enable_templates_for_provider_run', { cleanroom, templates, differentialPrivacy: !!v['differential-privacy'] })
        : action === 'request-activation-consent'
          ? g.statement('provider.request_provider_activation_consent', { cleanroom, template: templates[0]! })
          : g.statement('consumer.approve_provider_activation_consent', { cleanroom, template: templates[0]! });
    if (v['dry-run']) return printDryRun(io, common, g, [s], []);
    return withSession(io, common, async (session, out, gw) => {
      printResult(out, gw, common.format, await session.run(s, { deadlineMs: common.deadlineMs }));
      return EXIT_OK;
    });
  },
};
