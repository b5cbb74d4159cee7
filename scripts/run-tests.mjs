// Runs every *.test.ts under test/ (except the real-editor suite) with node's test runner.
// Node 20 has no glob support in `node --test`, so the file list is collected here.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const skip = new Set(['e2e', 'fixtures', 'node_modules']);
function collect(dir, out) {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (!skip.has(name) && !name.startsWith('.')) collect(p, out);
    } else if (name.endsWith('.test.ts')) out.push(p);
  }
  return out;
}
const filter = process.argv.slice(2);
let files = collect('test', []);
if (filter.length) files = files.filter(f => filter.some(x => f.includes(x)));
// A hang guard, not a speed bound: a test that waits forever fails after 5 minutes with its
// name instead of holding CI until its own deadline.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-timeout=300000', '--test-reporter=spec', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
