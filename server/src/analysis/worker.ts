/**
 * The analysis thread: takes AnalysisRequests from the server's main thread and answers with
 * findings, so hover, completion and every other request never wait behind an analysis.
 * Cancellation is a flag in shared memory the main thread sets; core polls it between phases.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { AnalysisRequest } from './request.js';
import { runAnalysis } from './run.js';

export const WORKER_ROLE = 'dcr-analysis';

export interface WorkerJob {
  id: number;
  request: AnalysisRequest;
  /** Index of this job's cancellation flag in the shared Int32Array. */
  slot: number;
}

export type WorkerReply = { id: number; findings: import('../../../core/src/index.js').Finding[]; ms: number } | { id: number; error: string };

export function isAnalysisWorker(): boolean {
  return !!parentPort && (workerData as { role?: string } | null)?.role === WORKER_ROLE;
}

export function runAnalysisWorker(): void {
  const port = parentPort!;
  const flags = new Int32Array((workerData as { flags: SharedArrayBuffer }).flags);
  port.on('message', (job: WorkerJob) => {
    try {
      const r = runAnalysis(job.request, () => Atomics.load(flags, job.slot) !== 0);
      port.postMessage({ id: job.id, findings: r.findings, ms: r.ms } satisfies WorkerReply);
    } catch (err) {
      port.postMessage({ id: job.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WorkerReply);
    }
  });
}
