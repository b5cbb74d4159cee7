/** `dcr submit TEMPLATE --cleanroom NAME`: checks a template, then sends it to a clean room. */
import { resolve } from 'node:path';
import { parseDocument } from '../../../core/src/index.js';
import { displayPath, readText } from '../files.js';
import { EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { checkText, gate, printDryRun } from '../preflight.js';
import { ProfileFinder } from '../profile.js';
import { COMMON_HELP, COMMON_OPTIONS, commonFrom, gateway, oneOf, Out, reportError, withSession } from '../snowflake.js';

const HELP = `Usage: dcr submit TEMPLATE --cleanroom NAME [options]

Sends a template to a clean room. Legacy API: a consumer asks the provider to add it
(consumer.create_template_request); a provider adds it (provider.add_custom_sql_template).
Collaboration API: registers the template-spec YAML (REGISTRY.REGISTER_TEMPLATE) and
proposes it to the collaboration (COLLABORATION.ADD_TEMPLATE_REQUEST).
The template is checked first, as the editor checks it (with the governing cleanrooms.json:
its analyses' arguments against its policies too); every finding is shown, and error
findings stop the submission unless --force. The text is sent as a bind parameter, byte for
byte. A worksheet with several templates: --name picks one.

Options:
  --cleanroom NAME            clean room (legacy) or collaboration name (required)
  --name TEMPLATE_NAME        template name (default: the file's base name, or the name in
                              the worksheet call); in a worksheet, picks that template
  --profile FILE              cleanrooms.json for the policy checks (default: the nearest)
  --role consumer|provider    which side you are (default: consumer)
  --api legacy|collaboration  API generation (default: legacy; .yaml specs: collaboration)
  --share-with ALIAS,…        Collaboration: collaborators to share the template with
  --registry NAME             Collaboration: register in this registry
  --dry-run                   run the checks, print the statements and their binds; send
                              nothing (exit 1 when an error finding would stop the submission)
  --force                     submit even with error findings
${COMMON_HELP}

Exit codes: 0 submitted, 1 error findings or a failed Snowflake call, 2 usage or configuration.
--dry-run --format json prints {"version":1,"dryRun":true,"session","statements":[{"id","sql","binds"}],"findings"}.
`;

export const submitCommand: Command = {
  name: 'submit',
  summary: 'submit a template to a clean room (template request, add, or register + propose)',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('submit', argv, {
      ...COMMON_OPTIONS,
      cleanroom: { type: 'string' },
      name: { type: 'string' },
      role: { type: 'string' },
      api: { type: 'string' },
      'share-with': { type: 'string' },
      registry: { type: 'string' },
      profile: { type: 'string' },
      'dry-run': { type: 'boolean' },
      force: { type: 'boolean' },
    });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    if (parsed.positionals.length !== 1) throw new UsageError("submit: expected exactly one TEMPLATE (see 'dcr submit --help')");
    if (!v.cleanroom) throw new UsageError('submit: --cleanroom NAME is required');
    const common = commonFrom('submit', v);
    const role = oneOf('submit', 'role', v.role, ['consumer', 'provider'] as const, 'consumer');
    const shown = parsed.positionals[0]!;
    const path = resolve(io.cwd, shown);
    const text = readText(path, shown);
    const model = parseDocument({ text, path });
    const named = model.templates.filter(t => t.region.meta.templateName !== undefined && t.region.meta.templateName === v.name);
    if (model.templates.length > 1 && !named.length) {
      const names = model.templates.map((t, i) => t.region.meta.templateName ?? `#${i + 1}`);
      throw new UsageError(`submit: ${displayPath(path, io.cwd)} holds ${model.templates.length} templates (${names.join(', ')}); pick one with --name`);
    }
    const region = (named[0] ?? model.templates[0])?.region;
    if (!region) throw new UsageError(`submit: no template found in ${displayPath(path, io.cwd)}`);
    // A spec file, or a worksheet's REGISTER_TEMPLATE call, is Collaboration material: its spec is what is sent.
    const specText = model.kind === 'spec' ? text : region.meta.spec?.text;
    const api = oneOf(
      'submit',
      'api',
      v.api,
      ['legacy', 'collaboration'] as const,
      specText !== undefined || region.meta.api === 'collaboration' ? 'collaboration' : 'legacy',
    );
    if (api === 'collaboration' && specText === undefined)
      throw new UsageError('submit: the Collaboration API takes a template spec (a spec_type: template YAML, or a REGISTER_TEMPLATE call in a worksheet)');

    const shownPath = displayPath(path, io.cwd);
    const governing = await new ProfileFinder(io.cwd, v.profile).forFile(path);
    const profile = governing ? { profile: governing.loaded.profile, templatePath: governing.templatePath } : undefined;
    const findings = checkText({ text, path, shown: shownPath, api, ...(profile ? { profile } : {}) }).filter(
      // Findings of other templates in the same worksheet are not about what is sent.
      f =>
        model.templates.length === 1 ||
        (lineOf(text, Math.min(region.hostSpan.start, region.meta.templateNameSpan?.start ?? Infinity)) <= f.line &&
          f.line <= lineOf(text, region.hostSpan.end)),
    );

    const g = await gateway();
    const input = {
      api,
      role,
      cleanroom: v.cleanroom,
      templateName: v.name ?? region.meta.templateName ?? g.templateNameOf(path),
      // A template file goes as the file's exact text; a worksheet or spec as its template.
      template: model.kind === 'template' ? text : region.text,
      spec: api === 'collaboration' ? specText : undefined,
      registry: v.registry,
      shareWith: v['share-with']
        ? v['share-with']
            .split(',')
            .map(s => s.trim())
            .filter(Boolean)
        : [],
    };
    let plan;
    try {
      plan = g.submitPlan(input);
    } catch (err) {
      return reportError(err, new Out(io, g), g);
    }
    if (v['dry-run']) return printDryRun(io, common, g, plan, findings, { force: v.force });
    const stop = gate(io, 'submit', findings, v.force);
    if (stop !== undefined) return stop;
    return withSession(io, common, async (session, out) => {
      const steps = await g.submit(session, input, { deadlineMs: common.deadlineMs });
      if (common.format === 'json') {
        out.stdout(
          JSON.stringify(
            {
              version: 1,
              steps: steps.map(s => ({ id: s.statement.id, sql: s.statement.sql, result: g.firstCell(s.result) ?? null, queryId: s.result.queryId ?? null })),
            },
            null,
            2,
          ) + '\n',
        );
      } else {
        for (const s of steps) out.stdout(`${s.statement.id}: ${g.cellText(g.firstCell(s.result)) || 'done'} (query ID ${s.result.queryId ?? '-'})\n`);
      }
      return EXIT_OK;
    });
  },
};

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
