// `npm run bench`: prints the engine benchmark table (figures only, nothing asserted).
import { runBenchmark } from './engine.js';
import { runToolingBenchmarks } from './tooling.js';
import { runServerBenchmarks } from './server.js';
import { runSqlBenchmark } from './sql.js';

try {
  runBenchmark();
} catch (e) {
  // One failing table must not hide the others.
  console.log(`engine benchmark failed: ${(e as Error).message}`);
}
try {
  runSqlBenchmark();
} catch (e) {
  console.log(`SQL benchmark failed: ${(e as Error).message}`);
}
// Sequential: the tooling figures should not share the CPU with the engine ones.
runToolingBenchmarks()
  .then(() => runServerBenchmarks())
  .catch(e => {
    console.error(`tooling benchmarks failed: ${(e as Error).message}`);
    process.exitCode = 1;
  });
