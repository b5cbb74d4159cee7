#!/usr/bin/env node
// Real-VS-Code end-to-end harness (code-server from npm, Debian's Chromium driven by playwright-core).
//
//  1. `npm run package` -> dist-vsix/<name>-<version>.vsix (skip with --skip-package)
//  2. code-server 4.100.3 (= VS Code 1.100.3, installed by setup.sh outside the repo)
//     `--install-extension` of that .vsix into a fresh extensions dir
//  3. code-server in its own process group on a free 127.0.0.1 port, --auth none
//  4. Debian Chromium headless via playwright-core:
//     a. "suite": the extension-host Mocha suite (test/e2e/suite) through the workbench
//        `payload` route, extensionDevelopmentPath = the INSTALLED extension dir, so the
//        packaged .vsix is what runs; result via window.codeAutomationExit.
//     b. "ui": the normal workbench with the installed extension: broken template -> error
//        squiggle, hover shows DCR001, Problems row, status-bar language mode. Screenshots go
//        to test/e2e/.work/shots/.
//  5. kill the code-server process group; exit 0 only if every phase passed.
//
// Options: --skip-package, --phase=suite|ui|all (default all). Env: DCR_E2E_CACHE (setup.sh),
// E2E_FORCE_FAIL=1 (adds a failing test to prove failures propagate), E2E_SUITE_TIMEOUT_MS.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import util from 'node:util';
import { fileURLToPath } from 'node:url';
import { startFakeSnowflake } from './snowflake-fake.mjs';
import { snowflakeUiSteps } from './ui-snowflake.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const WORK = path.join(HERE, '.work');
const RUN = path.join(WORK, 'vscode');
const SHOTS = path.join(WORK, 'shots');
const FOLDER = path.join(HERE, 'fixtures', 'workspace');
const SUITE = path.join(HERE, 'suite', 'index.js');
const CS_VERSION = '4.100.3';
const CACHE = process.env.DCR_E2E_CACHE || path.join(os.homedir(), '.cache', 'dcr-e2e');
const CS_ENTRY = path.join(CACHE, `code-server-${CS_VERSION}`, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const SUITE_TIMEOUT_MS = Number(process.env.E2E_SUITE_TIMEOUT_MS || 180000);
const CHROMIUM = process.env.E2E_CHROMIUM || '/usr/bin/chromium';

const args = process.argv.slice(2);
const skipPackage = args.includes('--skip-package');
const phaseArg = (args.find(a => a.startsWith('--phase=')) || '--phase=all').slice('--phase='.length);
const phases = phaseArg === 'all' ? ['suite', 'ui'] : [phaseArg];

const T0 = Date.now();
const stamp = () => `[${((Date.now() - T0) / 1000).toFixed(1)}s]`;
const log = (...a) => console.log(stamp(), ...a);
const timings = {};

function fail(msg) {
  console.error(`run-vscode: ${msg}`);
  process.exit(2);
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitHealthy(port, child, ms = 60000) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`code-server exited early with ${child.exitCode}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise(r => setTimeout(r, 100)); // polling a health endpoint (harness only)
  }
  throw new Error(`code-server not healthy on port ${port} after ${ms} ms`);
}

async function main() {
  if (!fs.existsSync(CS_ENTRY)) fail(`code-server ${CS_VERSION} not found at ${CS_ENTRY}; run: bash test/e2e/setup.sh`);
  if (!fs.existsSync(CHROMIUM)) fail(`${CHROMIUM} not found; run: bash test/e2e/setup.sh`);
  const { chromium } = await import('playwright-core');

  fs.rmSync(RUN, { recursive: true, force: true });
  fs.rmSync(SHOTS, { recursive: true, force: true });
  for (const d of [RUN, SHOTS, `${RUN}/xdg`, `${RUN}/ud/User`, `${RUN}/exts`]) fs.mkdirSync(d, { recursive: true });

  // 1. Package.
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const vsix = path.join(ROOT, 'dist-vsix', `${pkg.name}-${pkg.version}.vsix`);
  if (!skipPackage) {
    const t = Date.now();
    fs.rmSync(vsix, { force: true });
    fs.mkdirSync(path.dirname(vsix), { recursive: true }); // `vsce --out dist-vsix/` fails with ENOTDIR if it is missing
    log('npm run package');
    const r = spawnSync('npm', ['run', '--silent', 'package'], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, CI: 'true' } });
    if (r.status !== 0) fail(`npm run package failed (${r.status})`);
    timings.package = Date.now() - t;
  }
  if (!fs.existsSync(vsix)) fail(`${vsix} missing (run without --skip-package)`);

  // 2. Install the .vsix into a fresh extensions dir.
  const env = { ...process.env, XDG_CONFIG_HOME: `${RUN}/xdg`, XDG_DATA_HOME: `${RUN}/xdg`, XDG_CACHE_HOME: `${RUN}/xdg/cache` };
  const port = await freePort();
  fs.writeFileSync(`${RUN}/config.yaml`, `bind-addr: 127.0.0.1:${port}\nauth: none\ncert: false\n`);
  const common = ['--config', `${RUN}/config.yaml`, '--user-data-dir', `${RUN}/ud`, '--extensions-dir', `${RUN}/exts`];
  let t = Date.now();
  const inst = spawnSync(process.execPath, [CS_ENTRY, ...common, '--install-extension', vsix, '--force'], { env, encoding: 'utf8' });
  if (inst.status !== 0) fail(`--install-extension failed: ${inst.stdout}\n${inst.stderr}`);
  timings.install = Date.now() - t;
  const extId = `${pkg.publisher}.${pkg.name}`;
  const installedName = fs.readdirSync(`${RUN}/exts`).find(n => n.toLowerCase().startsWith(`${extId}-`.toLowerCase()));
  if (!installedName) fail(`extension ${extId} not found in ${RUN}/exts after install: ${inst.stdout}`);
  const installed = path.join(RUN, 'exts', installedName);
  log(`installed ${path.basename(vsix)} -> ${path.relative(ROOT, installed)} (${timings.install} ms)`);

  fs.writeFileSync(
    `${RUN}/ud/User/settings.json`,
    JSON.stringify(
      {
        'workbench.startupEditor': 'none',
        'workbench.tips.enabled': false,
        'workbench.enableExperiments': false,
        'telemetry.telemetryLevel': 'off',
        'update.mode': 'none',
        'extensions.autoUpdate': false,
        'extensions.autoCheckUpdates': false,
        'extensions.ignoreRecommendations': true,
        'security.workspace.trust.enabled': false,
        'git.enabled': false,
        'chat.disableAIFeatures': true,
        'window.restoreWindows': 'none',
        'workbench.reduceMotion': 'on', // no fade-in: screenshots show the hover fully drawn
      },
      null,
      2,
    ),
  );

  // 3. The fake Snowflake endpoint (SNOWFLAKE_HOME etc. for the extension host), then
  //    code-server in its own process group.
  t = Date.now();
  const sf = await startFakeSnowflake({ root: ROOT, work: WORK, runDir: RUN });
  timings.fakeSnowflake = Date.now() - t;
  log(`fake Snowflake on 127.0.0.1:${sf.fake.port} (${timings.fakeSnowflake} ms)`);
  const csLog = fs.openSync(`${RUN}/code-server.log`, 'w');
  t = Date.now();
  const cs = spawn(
    process.execPath,
    [
      CS_ENTRY,
      ...common,
      '--bind-addr',
      `127.0.0.1:${port}`,
      '--auth',
      'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--disable-getting-started-override',
    ],
    { detached: true, stdio: ['ignore', csLog, csLog], env: { ...env, ...sf.env, E2E_RESULTS_FILE: `${RUN}/results.json` } },
  );
  let killed = false;
  const killServer = () => {
    if (killed) return;
    killed = true;
    try {
      process.kill(-cs.pid, 'SIGTERM');
    } catch {
      /* gone */
    }
  };
  process.on('exit', () => {
    if (!killed)
      try {
        process.kill(-cs.pid, 'SIGKILL');
      } catch {
        /* gone */
      }
  });
  for (const sig of ['SIGINT', 'SIGTERM'])
    process.on(sig, () => {
      killServer();
      process.exit(130);
    });

  const results = {};
  let browser;
  try {
    await waitHealthy(port, cs);
    timings.serverUp = Date.now() - t;
    log(`code-server ${CS_VERSION} up on 127.0.0.1:${port} (${timings.serverUp} ms)`);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    const base = `http://127.0.0.1:${port}`;
    if (phases.includes('suite')) results.suite = await runSuite(browser, base, port, installed);
    if (phases.includes('ui')) results.ui = await runUi(browser, base, sf);
  } catch (err) {
    console.error(stamp(), 'harness error:', (err && err.stack) || err);
    results.harness = 'FAIL';
  } finally {
    if (browser) await browser.close().catch(() => {});
    killServer();
    await new Promise(r => {
      if (cs.exitCode !== null) r();
      else {
        cs.once('exit', r);
        setTimeout(r, 5000);
      }
    });
    try {
      process.kill(-cs.pid, 'SIGKILL');
    } catch {
      /* group already gone */
    }
    killed = true;
    await sf.stop().catch(() => {});
  }
  for (const p of phases) if (!results[p]) results[p] = 'FAIL';
  fs.writeFileSync(path.join(WORK, 'vscode-results.json'), JSON.stringify({ results, timings }, null, 2));
  log('timings (ms):', JSON.stringify(timings));
  for (const [k, v] of Object.entries(results)) log(`vscode ${k}: ${v}`);
  const ok = Object.values(results).every(v => v === 'PASS');
  if (!ok) {
    console.log(`--- last lines of ${path.relative(ROOT, RUN)}/code-server.log ---`);
    console.log(fs.readFileSync(`${RUN}/code-server.log`, 'utf8').split('\n').slice(-25).join('\n'));
  }
  process.exit(ok ? 0 : 1);
}

// ---- a. extension-host Mocha suite -------------------------------------------------------
async function runSuite(browser, base, port, installed) {
  const t = Date.now();
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  const consoleLog = fs.createWriteStream(`${RUN}/suite-workbench-console.log`);
  let resolveExit;
  const exited = new Promise(r => {
    resolveExit = r;
  });
  // The workbench forwards its console (including the remote extension host's, where Mocha's
  // spec reporter writes) to codeAutomationLog, and calls codeAutomationExit when run() settles.
  await page.exposeFunction('codeAutomationLog', (type, logArgs) => {
    const line = util.format(...(logArgs || []));
    consoleLog.write(`[${type}] ${line}\n`);
    if (isSuiteOutput(line)) for (const l of line.split('\n')) console.log(`  | ${l}`);
  });
  await page.exposeFunction('codeAutomationExit', (code, logs) => {
    for (const f of logs || []) {
      try {
        const p = path.join(RUN, 'vscode-logs', f.relativePath.replace(/^(\.\.\/)+/, ''));
        fs.mkdirSync(path.dirname(p), { recursive: true });
        fs.writeFileSync(p, f.contents);
      } catch {
        /* best effort */
      }
    }
    resolveExit(code);
  });
  // URIs must carry exactly the Host of the page URL (vscode-remote://127.0.0.1:PORT).
  const remote = `vscode-remote://127.0.0.1:${port}`;
  const payload = [
    ['extensionDevelopmentPath', remote + installed],
    ['extensionTestsPath', remote + SUITE],
  ];
  log(`ext-host suite: opening ${path.relative(ROOT, FOLDER)} with extensionDevelopmentPath=${path.relative(ROOT, installed)}`);
  await page.goto(`${base}/?folder=${encodeURIComponent(FOLDER)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  let timer;
  const code = await Promise.race([
    exited,
    new Promise(r => {
      timer = setTimeout(() => r('timeout'), SUITE_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  timings.suite = Date.now() - t;
  consoleLog.end();
  await ctx.close().catch(() => {});
  if (code === 'timeout') {
    log(`ext-host suite: TIMEOUT after ${SUITE_TIMEOUT_MS} ms (workbench console: ${path.relative(ROOT, RUN)}/suite-workbench-console.log)`);
    return 'FAIL';
  }
  log(`ext-host suite: codeAutomationExit(${code}) after ${timings.suite} ms`);
  return code === 0 ? 'PASS' : 'FAIL';
}

/** Mocha spec-reporter output and our own [e2e-suite] lines; the rest of the workbench console goes to a file. */
function isSuiteOutput(line) {
  return (
    /\[e2e-suite\]|✔|✓|passing|failing|pending|^\s+\d+\) |AssertionError|Error:|^\s+at |^\s*[+-] |expected|actual|Clean Room Templates in a real/.test(line) &&
    !/vsda|open-vsx|ENOTFOUND|\[Extension Host\] \[error\]|ms-vscode|git\b/.test(line)
  );
}

// ---- b. UI check ---------------------------------------------------------------------------
async function runUi(browser, base, sf) {
  const t = Date.now();
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  const shot = async name => {
    await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  };
  const step = async (name, fn) => {
    try {
      const v = await fn();
      log(
        `ui: ${name}${
          v !== undefined
            ? `: ${String(v)
                .replace(/\u00a0/g, ' ')
                .replace(/\s+/g, ' ')
                .trim()
                .slice(0, 200)}`
            : ''
        }`,
      );
      return v;
    } catch (e) {
      await shot(`fail-${name.replace(/\W+/g, '-')}`).catch(() => {});
      throw new Error(`UI step "${name}" failed: ${e.message}`, { cause: e });
    }
  };
  try {
    await page.goto(`${base}/?folder=${encodeURIComponent(FOLDER)}`);
    await step('workbench ready', () => page.waitForSelector('.monaco-workbench', { timeout: 60000 }).then(() => undefined));
    await step('explorer populated', () => page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60000 }).then(() => undefined));
    await step('open templates/broken.jinjasql', async () => {
      await page.keyboard.press('Control+P');
      await page.waitForSelector('.quick-input-widget:not([style*="display: none"]) input', { timeout: 15000 });
      await page.keyboard.type('broken.jinjasql');
      await page.locator('.quick-input-list .monaco-list-row').filter({ hasText: 'broken.jinjasql' }).first().waitFor({ timeout: 15000 });
      await page.keyboard.press('Enter');
      await page.waitForSelector('.tab[aria-label*="broken.jinjasql"]', { timeout: 15000 });
    });
    const mode = await step('status bar language mode', async () => {
      const loc = page.locator('#status\\.editor\\.mode');
      await loc.filter({ hasText: /JinjaSQL/ }).waitFor({ timeout: 15000 });
      return loc.innerText();
    });
    if (!/JinjaSQL/.test(mode)) throw new Error(`language mode is "${mode}"`);
    const squiggle = page.locator('.monaco-editor .squiggly-error').first();
    await step('error squiggle visible', () => squiggle.waitFor({ timeout: 30000 }));
    await shot('01-squiggle');
    const hover = await step('hover shows DCR001', async () => {
      await squiggle.hover({ force: true });
      const h = page.locator('.monaco-hover:not(.hidden)').filter({ hasText: 'DCR001' }).first();
      await h.waitFor({ timeout: 15000 });
      return h.innerText();
    });
    await shot('02-hover');
    if (!/clean-room/.test(hover)) throw new Error(`hover does not name the source clean-room: ${hover}`);
    await page.mouse.move(5, 5);
    await step('Problems panel row', async () => {
      await page.keyboard.press('Control+Shift+M');
      const row = page.locator('.markers-panel .monaco-list-row').filter({ hasText: 'DCR001' }).first();
      await row.waitFor({ timeout: 15000 });
      return row.innerText();
    });
    await step('status bar problems count', async () => {
      const label = await page.locator('#status\\.problems').getAttribute('aria-label');
      if (!/Errors: [1-9]/.test(label || '')) throw new Error(`status.problems aria-label is "${label}"`);
      return label;
    });
    await shot('03-problems');
    await snowflakeUiSteps({ page, step, shot, sf, folder: FOLDER });
    timings.ui = Date.now() - t;
    log(`ui: PASS (${timings.ui} ms, screenshots in ${path.relative(ROOT, SHOTS)}/)`);
    return 'PASS';
  } catch (e) {
    timings.ui = Date.now() - t;
    log(`ui: FAIL: ${e.message}`);
    return 'FAIL';
  } finally {
    await ctx.close().catch(() => {});
  }
}

main().catch(e => {
  console.error(e);
  process.exit(1);
});
