// `npm run bench`: prints the engine benchmark table (figures only, nothing asserted).
import { runBenchmark } from './engine.js';

runBenchmark();
