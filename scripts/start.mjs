// `npm start`: the main job on the bundled examples, as a newcomer would run it.
// Checks every template in examples/ against examples/cleanrooms.json (findings are the
// point, so exit code 1 is a success here), then renders SQL: one template with an
// arguments file, and a multi-provider analysis per clean room.
import { spawnSync } from 'node:child_process';

const run = (title, args) => {
  console.log(`\n\x1b[1m$ dcr ${args.join(' ')}\x1b[0m   # ${title}`);
  const r = spawnSync(process.execPath, ['dist/dcr.js', ...args], { stdio: 'inherit' });
  return r.status ?? 2;
};
const check = run('policy-flow and syntax checks on the example workspace', ['check', 'examples']);
const render = run('the SQL Snowflake would run, binds inlined', [
  'render',
  'examples/templates/overlap_analysis.jinjasql',
  '--args',
  'examples/args/overlap.json',
]);
const multi = run('a multi-provider analysis from cleanrooms.json: the cluster render, then what each clean room validates', [
  'render',
  'examples/worksheets/consumer_request.sql',
  '--analysis',
  'overlap across both providers',
]);
// 0 = clean, 1 = findings reported; 2 = the tool itself could not run.
process.exit([check, render, multi].includes(2) ? 2 : 0);
