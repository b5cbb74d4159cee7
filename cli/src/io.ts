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
    return parseArgs<{ args: string[]; allowPositionals: true; strict: true; options: O }>({
      args: joinNegativeValues(argv, options),
      allowPositionals: true,
      strict: true,
      options,
    });
  } catch (err) {
    throw usageFromParseError(command, err);
  }
}

/**
 * `--request -1`: node's parser takes a value that starts with '-' for an option and refuses
 * it, so a negative number after an option that takes a value is joined to it (`--request=-1`).
 */
function joinNegativeValues(argv: string[], options: OptionsConfig): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const name = a.startsWith('--') && !a.includes('=') ? a.slice(2) : undefined;
    const next = argv[i + 1];
    if (name !== undefined && options[name]?.type === 'string' && next !== undefined && /^-\d+(\.\d+)?$/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** node:util parseArgs errors are multi-sentence; the contract wants one line naming the flag. */
export function usageFromParseError(command: string, err: unknown): UsageError {
  const msg = err instanceof Error ? err.message : String(err);
  const unknown = /Unknown option '([^']+)'/.exec(msg);
  if (unknown) return new UsageError(`${command}: unknown option '${unknown[1]}' (see 'dcr ${command} --help')`);
  return new UsageError(`${command}: ${msg.split('\n')[0]!.split('. ')[0]!.replace(/\.$/, '')}`);
}
