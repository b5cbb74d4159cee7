// Extension-host test entry point (the @vscode/test-electron `extensionTestsPath` contract):
// VS Code requires this file inside the extension host and awaits `run()`. It works unchanged
// under code-server (run-vscode.mjs, via the workbench `payload` route) and under
// @vscode/test-electron (run-electron.mjs). Plain CommonJS on purpose: no build step.
'use strict';
const fs = require('fs');
const path = require('path');

/** Finds `node_modules/<name>` walking up from this file (the repo's node_modules). */
function resolveFromRepo(name) {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, 'node_modules', name);
    if (fs.existsSync(path.join(candidate, 'package.json'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  // Last resort: normal resolution (e.g. NODE_PATH).
  return path.dirname(require.resolve(name + '/package.json'));
}

function run() {
  const Mocha = require(resolveFromRepo('mocha'));
  const mocha = new Mocha({ ui: 'tdd', timeout: 60000, color: false, reporter: 'spec' });
  if (process.env.E2E_GREP) mocha.grep(process.env.E2E_GREP);
  const files = fs
    .readdirSync(__dirname)
    .filter(f => f.endsWith('.test.js'))
    .sort();
  for (const f of files) mocha.addFile(path.join(__dirname, f));

  return new Promise((resolve, reject) => {
    const results = { passed: [], failed: [], pending: [] };
    let runner;
    try {
      runner = mocha.run(failures => {
        const line = `${results.passed.length} passed, ${results.failed.length} failed, ${results.pending.length} pending`;
        console.log(`[e2e-suite] ${line}`);
        if (process.env.E2E_RESULTS_FILE) {
          try {
            fs.writeFileSync(process.env.E2E_RESULTS_FILE, JSON.stringify(results, null, 2));
          } catch (e) {
            console.error(e);
          }
        }
        if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
        else resolve();
      });
    } catch (err) {
      console.error(err);
      reject(err);
      return;
    }
    runner.on('pass', t => results.passed.push({ title: t.fullTitle(), ms: t.duration }));
    runner.on('fail', (t, err) => results.failed.push({ title: t.fullTitle(), error: String(err && (err.stack || err)) }));
    runner.on('pending', t => results.pending.push({ title: t.fullTitle() }));
  });
}

module.exports = { run };
