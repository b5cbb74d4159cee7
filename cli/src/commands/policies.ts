/** `dcr policies pull|set --cleanroom NAME`: live policies ⇄ cleanrooms.json. */
import { readFileSync, writeFileSync } from 'node:fs';
import { EXIT_OK, UsageError, type CliIO, type Command, parseCommandArgs } from '../io.js';
import { displayPath, readText } from '../files.js';
import { printDryRun } from '../preflight.js';
import { COMMON_HELP, COMMON_OPTIONS, commonFrom, findProfile, oneOf, withSession } from '../snowflake.js';

const HELP = `Usage: dcr policies pull --cleanroom NAME [options]
       dcr policies pull --api collaboration --cleanroom COLLABORATION [options]
       dcr policies set --cleanroom NAME [options]

pull: reads the live join, column and activation policies and the linked tables of a clean
      room and writes them into cleanrooms.json (only those keys of that clean room change;
      comments, formatting and everything else stay). A provider pulls its own; a consumer
      pulls the provider's (as the clean room shows them) and its own.
      With --api collaboration there are no policy procedures: the policies come from the
      collaboration's data offerings (USE SECONDARY ROLES NONE, then VIEW_DATA_OFFERINGS,
      read from its documented columns: TEMPLATE_VIEW_NAME with JOIN_COLUMNS,
      ANALYSIS_COLUMNS and ACTIVATION_COLUMNS, or SPEC; no offerings, or a row that cannot
      be read, is an error and nothing is written) and are written into the
      collaboration's entry under "cleanrooms", provider side (the shared datasets):
        tables        each dataset's template view name (alias.offering_id.dataset_alias,
                      what analyses pass in source_table; data_object_fqn only if the
                      view returns no view name) with its columns
        joinPolicy    VIEW:COL for each join column (category join_standard/join_custom)
        columnPolicy  TEMPLATE:VIEW:COL for each analysis column and each template of the
                      collaboration (VIEW_TEMPLATES plus the profile's "templates"), since
                      an offering allows its analysis columns to every template
        activationPolicy  TEMPLATE:VIEW:COL for each activation column, likewise
set:  sets the profile's policies for your side. The procedures replace the whole list, so
      the difference from the live policies is printed first; only changed kinds are sent.

Options:
  --cleanroom NAME            clean room name (required)
  --role consumer|provider    which side you are (default: consumer)
  --api legacy|collaboration  pull: API generation (default: the profile's "api", else legacy)
  --profile FILE              the cleanrooms.json to read or update (default: the nearest one)
  --dry-run                   set: show the difference and the statements; send nothing
                              pull: show the difference with the profile; write nothing
${COMMON_HELP}
`;

export const policiesCommand: Command = {
  name: 'policies',
  summary: 'pull live policies into cleanrooms.json, or set them from it (with a diff)',
  help: HELP,
  async run(argv: string[], io: CliIO): Promise<number> {
    const parsed = parseCommandArgs('policies', argv, {
      ...COMMON_OPTIONS,
      cleanroom: { type: 'string' },
      role: { type: 'string' },
      api: { type: 'string' },
      profile: { type: 'string' },
      'dry-run': { type: 'boolean' },
    });
    const v = parsed.values;
    if (v.help) {
      io.stdout(HELP);
      return EXIT_OK;
    }
    const [action, ...rest] = parsed.positionals;
    if ((action !== 'pull' && action !== 'set') || rest.length) throw new UsageError("policies: expected pull or set (see 'dcr policies --help')");
    if (!v.cleanroom) throw new UsageError(`policies ${action}: --cleanroom NAME is required`);
    const common = commonFrom('policies', v);
    const role = oneOf('policies', 'role', v.role, ['consumer', 'provider'] as const, 'consumer');
    if (v.api !== undefined) oneOf('policies', 'api', v.api, ['legacy', 'collaboration'] as const, 'legacy'); // a typo fails before connecting
    const cleanroom = v.cleanroom;
    const profilePath = findProfile(v.profile, io.cwd, io.cwd);
    const shown = displayPath(profilePath, io.cwd);
    const text = readText(profilePath, shown);

    return withSession(io, common, async (session, out, g) => {
      const opts = { deadlineMs: common.deadlineMs };
      const profile = g.parseProfile(text, shown);
      if (action === 'pull') {
        const room = profile.cleanrooms?.[cleanroom];
        const api = oneOf('policies', 'api', v.api, ['legacy', 'collaboration'] as const, profile.api ?? 'legacy');
        const pulled =
          api === 'collaboration'
            ? await g.pullCollaborationPolicies(session, { collaboration: cleanroom, templates: room?.templates, existing: { provider: room?.provider } }, opts)
            : await g.pullPolicies(session, { role, cleanroom, existing: { provider: room?.provider, consumer: room?.consumer } }, opts);
        // Re-read: the file may have been edited while we waited for Snowflake.
        let next = readFileSync(profilePath, 'utf8');
        const changed: string[] = [];
        for (const side of ['provider', 'consumer'] as const) {
          const p = pulled[side];
          if (!p) continue;
          const r = g.writePulledPolicies(next, cleanroom, side, p);
          next = r.text;
          changed.push(...r.changed.map(k => `${side}.${k}`));
        }
        if (!v['dry-run'] && changed.length) writeFileSync(profilePath, next);
        const diffs = (['provider', 'consumer'] as const).flatMap(side =>
          (['join', 'column', 'activation'] as const)
            .filter(kind => pulled[side]?.[g.POLICY_KEYS[kind]] !== undefined)
            .map(kind => ({ side, ...g.diffPolicy(kind, room?.[side]?.[g.POLICY_KEYS[kind]] ?? [], pulled[side]![g.POLICY_KEYS[kind]]!) })),
        );
        if (common.format === 'json')
          out.stdout(
            JSON.stringify(
              { version: 1, profile: shown, cleanroom, dryRun: !!v['dry-run'], changed, written: !v['dry-run'] && changed.length > 0, diffs, pulled },
              null,
              2,
            ) + '\n',
          );
        else if (v['dry-run']) out.stdout(`${diffs.map(d => `${d.side} ${g.formatDiff(d)}`).join('\n')}\n-- dry run: ${shown} is not written\n`);
        if (common.format === 'text')
          out.stdout(
            changed.length
              ? `${v['dry-run'] ? 'would update' : 'updated'} ${shown} (clean room '${cleanroom}'): ${changed.join(', ')}\n`
              : `${shown} already matches clean room '${cleanroom}'\n`,
          );
        return EXIT_OK;
      }
      const desired = g.sidePolicies(profile, cleanroom, role, shown);
      const input = { role, cleanroom, desired };
      const diffs = await g.policyDiffs(session, input, opts);
      if (!diffs.length)
        throw new UsageError(`policies set: ${shown} states no joinPolicy, columnPolicy or activationPolicy for the ${role} of '${cleanroom}'`);
      const statements = g.setPolicyStatements(input, diffs);
      if (v['dry-run'] && common.format === 'json')
        return printDryRun(io, common, g, statements, [], {
          reads: diffs.map(d => g.statement(`${role}.view_${d.kind}_policy` as 'provider.view_join_policy', { cleanroom })),
          extra: { cleanroom, role, diffs },
        });
      if (common.format === 'json') {
        const results = v['dry-run'] ? [] : await g.applyPolicies(session, input, diffs, opts);
        out.stdout(
          JSON.stringify(
            {
              version: 1,
              cleanroom,
              role,
              dryRun: !!v['dry-run'],
              diffs,
              statements: statements.map(s => ({ id: s.id, sql: s.sql, binds: s.binds })),
              applied: results.map(r => r.statement.id),
            },
            null,
            2,
          ) + '\n',
        );
        return EXIT_OK;
      }
      out.stdout(diffs.map(g.formatDiff).join('\n') + '\n');
      if (!statements.length) {
        out.stdout('nothing to change\n');
        return EXIT_OK;
      }
      if (v['dry-run']) return printDryRun(io, common, g, statements, []);
      for (const r of await g.applyPolicies(session, input, diffs, opts)) out.stdout(`${r.statement.id}: ${g.cellText(g.firstCell(r.result)) || 'done'}\n`);
      return EXIT_OK;
    });
  },
};
