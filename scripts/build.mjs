// Bundles the entry points. The extension client and the language server are two
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
  // jsonc-parser's `main` is a UMD build whose internal requires esbuild cannot follow.
  alias: { 'jsonc-parser': 'jsonc-parser/lib/esm/main.js' },
};
mkdirSync('dist', { recursive: true });
// vsce's --out needs the folder to exist on a fresh clone.
if (production) mkdirSync('dist-vsix', { recursive: true });
await Promise.all([
  build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  build({ ...common, entryPoints: ['server/src/main.ts'], outfile: 'dist/server.js', banner: { js: '#!/usr/bin/env node' } }),
  build({ ...common, entryPoints: ['cli/src/main.ts'], outfile: 'dist/dcr.js', banner: { js: '#!/usr/bin/env node' } }),
  // The Snowflake driver on its own, required only when a Snowflake command runs
  // (gateway/src/driver.ts looks for it next to the running bundle), so neither the CLI's other
  // commands nor the extension's activation pay for loading it.
  build({
    ...common,
    stdin: { contents: "module.exports = require('snowflake-sdk');", resolveDir: '.', loader: 'js', sourcefile: 'snowflake-driver.js' },
    outfile: 'dist/snowflake.js',
    sourcemap: false,
    minify: true,
  }),
]);
chmodSync('dist/dcr.js', 0o755);
chmodSync('dist/server.js', 0o755);
