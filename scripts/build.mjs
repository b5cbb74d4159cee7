// Bundles the three entry points. The extension client and the language server are two
// separate outputs (the server runs in its own process); `vscode` stays external.
import { build } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
  // node-sql-parser ships one build per dialect; only the Snowflake one is ever loaded.
  alias: { 'node-sql-parser': 'node-sql-parser/build/snowflake' },
};
mkdirSync('dist', { recursive: true });
// vsce's --out needs the folder to exist on a fresh clone.
if (production) mkdirSync('dist-vsix', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['cli/src/main.ts'], outfile: 'dist/dcr.js', banner: { js: '#!/usr/bin/env node' } }),
]);
chmodSync('dist/dcr.js', 0o755);
chmodSync('dist/server.js', 0o755);
