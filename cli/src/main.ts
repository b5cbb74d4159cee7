/** `dcr`: the command-line front end over the same core as the language server. */
import { COMMANDS, findCommand } from './commands/index.js';
import { EXIT_USAGE, UsageError, type CliIO } from './io.js';
import { version } from '../../package.json';
import { isCheckWorker, runCheckWorker } from './check/parallel.js';

function help(): string {
  const width = Math.max(...COMMANDS.map(c => c.name.length));
  const lines = COMMANDS.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return `Usage: dcr <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nOptions:\n  -h, --help     show help (also 'dcr <command> --help')\n  -v, --version  print the version\n`;
}

export async function main(argv: string[], io: CliIO): Promise<number> {
  const [first, ...rest] = argv;
  if (first === undefined) {
    io.stderr(`dcr: missing command (see 'dcr --help')\n`);
    return EXIT_USAGE;
  }
  if (first === '--help' || first === '-h' || first === 'help') {
    io.stdout(help());
    return 0;
  }
  if (first === '--version' || first === '-v') {
    io.stdout(`${version}\n`);
    return 0;
  }
  const command = findCommand(first);
  if (!command) {
    io.stderr(`dcr: unknown ${first.startsWith('-') ? 'option' : 'command'} '${first}' (see 'dcr --help')\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`dcr: ${err.message.replace(/\s*\n\s*/g, ' ')}\n`);
      return EXIT_USAGE;
    }
    io.stderr(`dcr: internal error: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}\n`);
    return EXIT_USAGE;
  }
}

if (isCheckWorker()) {
  // The same bundle runs the threads of a parallel `dcr check` (cli/src/check/parallel.ts).
  runCheckWorker();
} else {
  runMain();
}

function runMain(): void {
  const io: CliIO = {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
    stdoutIsTTY: !!process.stdout.isTTY,
    env: process.env,
    cwd: process.cwd(),
  };

  main(process.argv.slice(2), io).then(
    code => {
      // exitCode (not exit()) so piped stdout is flushed before the process ends.
      process.exitCode = code;
    },
    err => {
      process.stderr.write(`dcr: internal error: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = EXIT_USAGE;
    },
  );
}
