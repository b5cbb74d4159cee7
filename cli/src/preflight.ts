/**
 * What every sending command does before it sends: the editor's checks on the template (and,
 * with a profile, the analyses' arguments against its policies: DCR3xx), every finding shown
 * (warnings included), and a stop on error findings unless --force. A dry run runs the same
 * checks, prints what would be sent and exits 1 when an error finding would stop the real
 * command.
 */
import { analyzeDocument, parseDocument, type Api } from '../../core/src/index.js';
import type { Profile } from '../../core/src/index.js';
import { EXIT_FINDINGS, EXIT_OK, type CliIO } from './io.js';
import { toCliDiagnostic, type CliDiagnostic } from './report/model.js';
import type { Common, GatewayModule } from './snowflake.js';
import type * as Gateway from '../../gateway/src/index.js';

export interface PreflightFinding extends CliDiagnostic {
  /** The file (as shown) or what the text is, e.g. `request r-1`. */
  path: string;
}

export interface CheckInput {
  text: string;
  /** Where the text comes from (a file path, or a name with the right extension). */
  path: string;
  shown: string;
  api: Api;
  languageId?: string;
  profile?: { profile: Profile; templatePath: string };
}

export function checkText(i: CheckInput): PreflightFinding[] {
  const model = parseDocument({ text: i.text, path: i.path, ...(i.languageId ? { languageId: i.languageId } : {}) });
  return analyzeDocument(model, { api: i.api, allowRender: true, ...(i.profile ? { profile: i.profile } : {}) }).map(f => ({
    path: i.shown,
    ...toCliDiagnostic(f, model.lines),
  }));
}

/**
 * The findings that concern one analysis: the template's own, and of the profile checks
 * (which cover every analysis running the template) only those of this analysis.
 */
export function forAnalysis(findings: readonly PreflightFinding[], analysis: string): PreflightFinding[] {
  return findings.filter(f => {
    const named = /\banalysis '([^']*)'/i.exec(f.message);
    return !named || named[1] === analysis;
  });
}

export const errorsIn = (findings: readonly PreflightFinding[]) => findings.filter(f => f.severity === 'error').length;

export function printFindings(io: Pick<CliIO, 'stderr'>, findings: readonly PreflightFinding[]): void {
  for (const f of findings) io.stderr(`${f.path}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}\n`);
}

/**
 * Shows every finding; returns the exit code that stops the command when an error finding
 * would stop it (no --force), else undefined.
 */
export function gate(io: Pick<CliIO, 'stderr'>, what: string, findings: readonly PreflightFinding[], force: boolean | undefined): number | undefined {
  printFindings(io, findings);
  const errors = errorsIn(findings);
  if (!errors || force) return undefined;
  io.stderr(`dcr: ${what}: ${errors} error finding(s); nothing was sent (fix them, or pass --force)\n`);
  return EXIT_FINDINGS;
}

export interface SessionInfo {
  connection: string | null;
  role: string | null;
  warehouse: string | null;
  /** Why the connection could not be resolved (a dry run still prints its statements). */
  problem?: string;
}

/** Role and warehouse come from the connection (sent at login), as a dry run shows them. */
export function sessionInfo(io: CliIO, common: Common, g: GatewayModule): SessionInfo {
  try {
    const s = g.resolveConnection(common.connection, { env: io.env });
    return { connection: s.name, role: s.role ?? null, warehouse: s.warehouse ?? null };
  } catch (err) {
    return { connection: common.connection ?? null, role: null, warehouse: null, problem: err instanceof Error ? err.message : String(err) };
  }
}

/**
 * Prints a dry run: text (statements with their binds) or json
 * `{"version":1,"dryRun":true,"session":{…},"statements":[{"id","sql","binds"}],"findings":[…]}`.
 * Exits 1 when an error finding would stop the real command.
 */
export function printDryRun(
  io: CliIO,
  common: Common,
  g: GatewayModule,
  statements: readonly Gateway.Statement[],
  findings: readonly PreflightFinding[],
  opts: { force?: boolean; reads?: readonly Gateway.Statement[]; extra?: Record<string, unknown>; preamble?: string } = {},
): number {
  const session = sessionInfo(io, common, g);
  const stopped = errorsIn(findings) > 0 && !opts.force;
  if (common.format === 'json') {
    io.stdout(
      JSON.stringify(
        {
          version: 1,
          dryRun: true,
          session,
          ...(opts.reads?.length ? { reads: opts.reads.map(s => ({ id: s.id, sql: s.sql, binds: s.binds })) } : {}),
          statements: statements.map(s => ({ id: s.id, sql: s.sql, binds: s.binds })),
          findings,
          ...opts.extra,
        },
        null,
        2,
      ) + '\n',
    );
  } else {
    printFindings(io, findings);
    const who = session.problem
      ? `-- session: connection not resolved (${session.problem.split('\n')[0]})`
      : `-- session: connection '${session.connection}', role ${session.role ?? '(the user default)'}, warehouse ${session.warehouse ?? '(the user default)'}`;
    io.stdout(`-- dry run: nothing is sent\n${who}\n${opts.preamble ?? ''}${statements.map(g.formatStatement).join('\n')}\n`);
    if (stopped) io.stderr(`dcr: ${errorsIn(findings)} error finding(s) would stop this command (fix them, or pass --force)\n`);
  }
  return stopped ? EXIT_FINDINGS : EXIT_OK;
}
