import { parseArgs, type ParseArgsConfig } from 'node:util';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;
/** What a command may touch of the process, injected so commands stay testable. */
export interface CliIO {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is an interactive terminal (colors and other niceties). */
  stdoutIsTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** Exit code 2: the user asked for something we cannot do. The message is one line. */
export class UsageError extends Error {}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

export interface Command {
  name: string;
  /** One line for `dcr --help`. */
  summary: string;
  /** Full text for `dcr <name> --help`. */
  help: string;
  run(argv: string[], io: CliIO): Promise<number>;
}

/**
 * Every command parses the same way: strict options, positionals allowed, and a parse error
 * becomes a one-line usage error naming the command.
 */
export function parseCommandArgs<const O extends OptionsConfig>(command: string, argv: string[], options: O) {
  try {
    return parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>({ args: argv, allowPositionals: true, strict: true, options });
  } catch (err) {
    throw usageFromParseError(command, err);
  }
}

/** node:util parseArgs errors are multi-sentence; the contract wants one line naming the flag. */
export function usageFromParseError(command: string, err: unknown): UsageError {
  const msg = err instanceof Error ? err.message : String(err);
  const unknown = /Unknown option '([^']+)'/.exec(msg);
  if (unknown) return new UsageError(`${command}: unknown option '${unknown[1]}' (see 'dcr ${command} --help')`);
  return new UsageError(`${command}: ${msg.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, '')}`);
}
