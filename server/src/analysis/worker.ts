/**
 * The analysis thread: takes AnalysisRequests from the server's main thread and answers with
 * findings, so hover, completion and every other request never wait behind an analysis.
 * Cancellation is a flag in shared memory the main thread sets; core polls it between phases.
 */
import { parentPort, workerData } from 'node:worker_threads';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Finding, PreviewResult } from '../../../core/src/index.js';
import { splitPreview, type AnalysisRequest, type AnalysisResult, type PreviewJob } from './request.js';
import { runAnalysis, runPreview } from './run.js';
import { encodeSegments, type EncodedSegments } from './segments.js';

export const WORKER_ROLE = 'dcr-analysis';

export type WorkerJob =
  | {
      kind: 'analysis';
      id: number;
      request: AnalysisRequest;
      /** Index of this job's cancellation flag in the shared Int32Array. */
      slot: number;
      /** Answer a two-phase request's quick pass first. */
      quick: boolean;
    }
  | { kind: 'preview'; id: number; job: PreviewJob };

export type WorkerReply =
  /** The quick pass of a two-phase request; the complete one follows unless the request went stale. */
  | { id: number; quick: Finding[]; ms: number }
  /** The end of the job: null when it stopped because it went stale. */
  | { id: number; result: AnalysisResult | null }
  /** A preview without its segments, which follow as typed arrays (segments.ts). */
  | { id: number; preview: PreviewResult; segments: EncodedSegments }
  | { id: number; error: string };

export function isAnalysisWorker(): boolean {
  return !!parentPort && (workerData as { role?: string } | null)?.role === WORKER_ROLE;
}

export function runAnalysisWorker(): void {
  const port = parentPort!;
  const flags = new Int32Array((workerData as { flags: SharedArrayBuffer }).flags);
  let idle: NodeJS.Timeout | undefined;
  // Restarted by every job, so it fires only after a second without one.
  const compactWhenIdle = () => {
    if (idle) clearTimeout(idle);
    idle = setTimeout(() => releaseMemory(), 1000);
    idle.unref();
  };
  port.on('message', (job: WorkerJob) => {
    compactWhenIdle();
    try {
      if (job.kind === 'preview') {
        const { lean, segments } = splitPreview(runPreview(job.job));
        const encoded = encodeSegments(segments);
        port.postMessage({ id: job.id, preview: lean, segments: encoded } satisfies WorkerReply, [
          encoded.segments.buffer as ArrayBuffer,
          encoded.chains.buffer as ArrayBuffer,
        ]);
        return;
      }
      const cancelled = () => Atomics.load(flags, job.slot) !== 0;
      const onQuick = (quick: Finding[], ms: number) => {
        port.postMessage({ id: job.id, quick, ms } satisfies WorkerReply);
        return !cancelled();
      };
      const result = runAnalysis(job.request, cancelled, job.quick ? onQuick : undefined);
      port.postMessage({ id: job.id, result } satisfies WorkerReply);
    } catch (err) {
      port.postMessage({ id: job.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) } satisfies WorkerReply);
    }
  });
}

/**
 * A burst of analyses (a folder of templates opened at once) grows this thread's heap, and V8
 * keeps the pages: a full collection once the thread has been idle for a second gives them
 * back (about 30 MB with 500 open templates). Where the runtime refuses, nothing happens.
 */
let gc: (() => void) | null | undefined;
function releaseMemory(): void {
  if (gc === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc');
      gc = vm.runInNewContext('gc') as () => void;
    } catch {
      gc = null;
    }
  }
  gc?.();
}
