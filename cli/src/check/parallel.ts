/**
 * `dcr check` over many files uses every core: the files are split into contiguous chunks,
 * one worker thread per chunk runs the same per-file work (checkFiles), and the results are
 * joined in file order, so the output is identical to a serial run.
 */
import { availableParallelism } from 'node:os';
import { Worker, parentPort, workerData } from 'node:worker_threads';
import { UsageError } from '../io.js';
import { checkFiles, type CheckedFiles, type CheckSettings } from './files.js';
import type { ProfileFinder } from '../profile.js';

const ROLE = 'dcr-check';
/** Below this many files a worker's start-up (loading the bundle) costs more than it saves. */
export const PARALLEL_THRESHOLD = 48;

type Reply = { ok: CheckedFiles } | { usage: string } | { internal: string };

export function isCheckWorker(): boolean {
  return !!parentPort && (workerData as { role?: string } | null)?.role === ROLE;
}

export function runCheckWorker(): void {
  const { files, settings } = workerData as { files: string[]; settings: CheckSettings };
  checkFiles(files, settings).then(
    ok => parentPort!.postMessage({ ok } satisfies Reply),
    err => parentPort!.postMessage(err instanceof UsageError ? { usage: err.message } : { internal: err instanceof Error ? err.message : String(err) }),
  );
}

/** How many threads to use: `--jobs`, else one per core (at most 8). */
export function defaultJobs(): number {
  return Math.max(1, Math.min(8, availableParallelism()));
}

/** `profiles`: the caller's finder, used when the files are checked on this thread. */
export async function checkFilesInParallel(
  files: readonly string[],
  settings: CheckSettings,
  jobs: number,
  entry: string | undefined,
  profiles?: ProfileFinder,
): Promise<CheckedFiles> {
  const n = Math.min(jobs, Math.ceil(files.length / (PARALLEL_THRESHOLD / 2)));
  // Bundled runs only: the worker's entry is the CLI bundle itself.
  if (n <= 1 || files.length < PARALLEL_THRESHOLD || !entry || !entry.endsWith('.js')) return checkFiles(files, settings, profiles);
  const size = Math.ceil(files.length / n);
  const chunks = Array.from({ length: n }, (_, i) => files.slice(i * size, (i + 1) * size)).filter(c => c.length);
  const parts = await Promise.all(
    chunks.map(
      chunk =>
        new Promise<Reply>(resolve => {
          const w = new Worker(entry, { workerData: { role: ROLE, files: chunk, settings } });
          let done = false;
          w.once('message', (r: Reply) => {
            done = true;
            resolve(r);
            void w.terminate();
          });
          w.once('error', err => {
            if (!done) resolve({ internal: err.message });
            done = true;
          });
          w.once('exit', code => {
            if (!done) resolve({ internal: `a check thread ended with code ${code}` });
            done = true;
          });
        }),
    ),
  );
  const out: CheckedFiles = { results: [], profiles: [] };
  for (const p of parts) {
    if ('usage' in p) throw new UsageError(p.usage);
    if ('internal' in p) throw new Error(p.internal);
    out.results.push(...p.ok.results);
    for (const path of p.ok.profiles) if (!out.profiles.includes(path)) out.profiles.push(path);
  }
  return out;
}
