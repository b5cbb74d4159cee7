/**
 * `dcr-language-server`: `--stdio` for any LSP editor, `--node-ipc` when VS Code starts it.
 */
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node';
import { startServer } from './server.js';
import { isAnalysisWorker, runAnalysisWorker } from './analysis/worker.js';
import { version } from '../../package.json';

const NAME = 'dcr-language-server';
const argv = process.argv.slice(2);

if (isAnalysisWorker()) {
  // The same bundle runs the analysis thread (server/src/analysis/worker.ts).
  runAnalysisWorker();
} else if (argv.includes('--version')) {
  process.stdout.write(`${version}\n`);
} else if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(`Usage: ${NAME} --stdio | --node-ipc | --socket=PORT | --pipe=NAME\n\nThe Clean Room Templates language server (LSP).\n`);
} else {
  const hasTransport = argv.some(a => a === '--stdio' || a === '--node-ipc' || a.startsWith('--socket') || a.startsWith('--pipe'));
  // Without a transport flag createConnection throws; editors that start servers bare expect stdio.
  if (!hasTransport) process.argv.push('--stdio');
  const connection = createConnection(ProposedFeatures.all);
  // A bug in a handler must never end the process the editor depends on.
  process.on('uncaughtException', err => connection.console.error(`uncaught: ${err?.stack ?? String(err)}`));
  process.on('unhandledRejection', err => connection.console.error(`unhandled rejection: ${err instanceof Error ? err.stack : String(err)}`));
  startServer(connection, { name: NAME, version });
}
