#!/usr/bin/env node
// The same extension-host suite (test/e2e/suite) under desktop VS Code via @vscode/test-electron.
//
// NOT RUN IN CI: @vscode/test-electron downloads VS Code from update.code.visualstudio.com, which
// the CI machine cannot reach (only the npm registry and Debian apt). CI runs the suite in
// code-server instead (run-vscode.mjs). Use this on a developer machine with network access
// (Linux needs a display: run it under `xvfb-run -a`).
//
//   node test/e2e/run-electron.mjs            # package the .vsix, install it into a fresh
//                                             # extensions dir, test the installed copy
//   node test/e2e/run-electron.mjs --source   # test the working tree (after scripts/build.mjs)
//   VSCODE_VERSION=1.100.3 node test/e2e/run-electron.mjs   (default: 'stable')
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { downloadAndUnzipVSCode, resolveCliArgsFromVSCodeExecutablePath, runTests } from '@vscode/test-electron';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const WORK = path.join(HERE, '.work', 'electron');
const fromSource = process.argv.includes('--source');
const version = process.env.VSCODE_VERSION || 'stable';

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.status !== 0) {
    console.error(`${cmd} ${args.join(' ')} failed (${r.status})`);
    process.exit(2);
  }
}

async function main() {
  fs.rmSync(WORK, { recursive: true, force: true });
  fs.mkdirSync(path.join(WORK, 'exts'), { recursive: true });
  const vscodeExecutablePath = await downloadAndUnzipVSCode({ version, cachePath: path.join(HERE, '.work', 'vscode-test') });

  let extensionDevelopmentPath = ROOT;
  if (fromSource) {
    run(process.execPath, ['scripts/build.mjs']);
  } else {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    fs.mkdirSync(path.join(ROOT, 'dist-vsix'), { recursive: true });
    run('npm', ['run', '--silent', 'package']);
    const vsix = path.join(ROOT, 'dist-vsix', `${pkg.name}-${pkg.version}.vsix`);
    const [cli, ...cliArgs] = resolveCliArgsFromVSCodeExecutablePath(vscodeExecutablePath);
    run(cli, [...cliArgs.filter(a => !a.startsWith('--extensions-dir')), '--extensions-dir', path.join(WORK, 'exts'), '--install-extension', vsix, '--force'], {
      shell: process.platform === 'win32',
    });
    const id = `${pkg.publisher}.${pkg.name}-`.toLowerCase();
    const dir = fs.readdirSync(path.join(WORK, 'exts')).find(n => n.toLowerCase().startsWith(id));
    if (!dir) {
      console.error('the installed extension was not found');
      process.exit(2);
    }
    extensionDevelopmentPath = path.join(WORK, 'exts', dir);
  }

  const code = await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath,
    extensionTestsPath: path.join(HERE, 'suite', 'index.js'),
    extensionTestsEnv: { E2E_RESULTS_FILE: path.join(WORK, 'results.json') },
    launchArgs: [
      path.join(HERE, 'fixtures', 'workspace'),
      '--user-data-dir',
      path.join(WORK, 'ud'),
      '--extensions-dir',
      path.join(WORK, 'exts'),
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--disable-gpu',
    ],
  }).catch(err => {
    console.error(err);
    return 1;
  });
  console.log(`test-electron suite: ${code === 0 ? 'PASS' : 'FAIL'}`);
  process.exit(code === 0 ? 0 : 1);
}

main().catch(err => {
  console.error(err);
  process.exit(1);
});
