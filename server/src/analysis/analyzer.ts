/**
 * Where analyses and previews run: on a worker thread by default, so the main thread stays
 * free for hover, completion and every other request while a long template is checked;
 * in-process where a worker cannot start. One job at a time (the machine may have two cores
 * and the editor needs one); a queued analysis of a document is replaced by a newer one, and
 * the running one is cancelled when its document changes. A preview runs where the analysis
 * ran, so it reuses that analysis's renders.
 */
import { Worker } from 'node:worker_threads';
import type { Finding } from '../../../core/src/index.js';
import { decodeSegments } from './segments.js';
import { previewPayload, splitPreview, type AnalysisRequest, type AnalysisResult, type PreviewJob, type PreviewPayload } from './request.js';
import { isTwoPhase, runAnalysis, runPreview } from './run.js';
import { WORKER_ROLE, type WorkerJob, type WorkerReply } from './worker.js';

export interface Analyzer {
  readonly mode: 'worker' | 'in-process';
  /** Requests waiting or running, for the server's stats. */
  readonly queued: number;
  /**
   * Null when the request went stale (a newer version or a close) before it ran or finished.
   * A two-phase request (run.ts) also gives `onQuick` the quick pass's findings first.
   */
  analyze(request: AnalysisRequest, isStale: () => boolean, onQuick?: QuickListener): Promise<AnalysisResult | null>;
  preview(job: PreviewJob): Promise<PreviewPayload>;
  dispose(): void;
}

export type QuickListener = (findings: Finding[], ms: number) => void;

type Pending =
  | {
      kind: 'analysis';
      id: number;
      request: AnalysisRequest;
      isStale: () => boolean;
      onQuick?: QuickListener;
      resolve(r: AnalysisResult | null): void;
      reject(e: Error): void;
    }
  | { kind: 'preview'; id: number; job: PreviewJob; resolve(r: PreviewPayload | null): void; reject(e: Error): void };

export class InProcessAnalyzer implements Analyzer {
  readonly mode = 'in-process';
  readonly queued = 0;
  analyze(request: AnalysisRequest, isStale: () => boolean, onQuick?: QuickListener): Promise<AnalysisResult | null> {
    return new Promise((resolve, reject) => {
      const fail = (err: unknown) => reject(err instanceof Error ? err : new Error(String(err)));
      // A later tick, so an edit already queued makes this request stale before it starts.
      setImmediate(() => {
        if (isStale()) return resolve(null);
        try {
          if (!onQuick || !isTwoPhase(request)) {
            const r = runAnalysis(request, isStale);
            return resolve(isStale() ? null : r);
          }
          // The quick findings are published before the complete pass blocks this thread.
          let quickMs: number | undefined;
          const first = runAnalysis(request, isStale, (findings, ms) => {
            quickMs = ms;
            onQuick(findings, ms);
            return false;
          });
          if (quickMs === undefined) return resolve(isStale() ? null : first);
          setImmediate(() => {
            if (isStale()) return resolve(null);
            try {
              const r = runAnalysis(request, isStale);
              resolve(isStale() || !r ? null : { ...r, quickMs });
            } catch (err) {
              fail(err);
            }
          });
        } catch (err) {
          fail(err);
        }
      });
    });
  }
  preview(job: PreviewJob): Promise<PreviewPayload> {
    return new Promise((resolve, reject) => {
      try {
        const { lean, segments } = splitPreview(runPreview(job));
        resolve(previewPayload(lean, () => segments));
      } catch (err) {
        reject(err instanceof Error ? err : new Error(String(err)));
      }
    });
  }

  dispose(): void {}
}

export class WorkerAnalyzer implements Analyzer {
  readonly mode = 'worker';
  private worker: Worker | undefined;
  private readonly cancelFlag = new Int32Array(new SharedArrayBuffer(4));
  private queue: Pending[] = [];
  private running: Pending | undefined;
  private nextId = 1;
  private disposed = false;

  get queued(): number {
    return this.queue.length + (this.running ? 1 : 0);
  }

  constructor(
    private readonly entry: string,
    private readonly log: (msg: string) => void,
  ) {}

  analyze(request: AnalysisRequest, isStale: () => boolean, onQuick?: QuickListener): Promise<AnalysisResult | null> {
    return new Promise((resolve, reject) => {
      // Only the newest analysis of a document matters.
      this.queue = this.queue.filter(p => {
        if (p.kind !== 'analysis' || p.request.uri !== request.uri) return true;
        p.resolve(null);
        return false;
      });
      if (this.running?.kind === 'analysis' && this.running.request.uri === request.uri) Atomics.store(this.cancelFlag, 0, 1);
      this.queue.push({ kind: 'analysis', id: this.nextId++, request, isStale, ...(onQuick ? { onQuick } : {}), resolve, reject });
      this.pump();
    });
  }

  preview(job: PreviewJob): Promise<PreviewPayload> {
    return new Promise((resolve, reject) => {
      this.queue.push({
        kind: 'preview',
        id: this.nextId++,
        job,
        resolve: r => (r ? resolve(r) : reject(new Error('the analysis thread stopped'))),
        reject,
      });
      this.pump();
    });
  }

  dispose(): void {
    this.disposed = true;
    for (const p of this.queue) p.resolve(null);
    this.queue = [];
    this.running?.resolve(null);
    this.running = undefined;
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private pump(): void {
    if (this.running || this.disposed) return;
    let next: Pending | undefined;
    while ((next = this.queue.shift())) {
      if (next.kind === 'preview' || !next.isStale()) break;
      next.resolve(null);
    }
    if (!next) return;
    this.running = next;
    Atomics.store(this.cancelFlag, 0, 0);
    this.ensureWorker().postMessage(
      (next.kind === 'analysis'
        ? { kind: 'analysis', id: next.id, request: next.request, slot: 0, quick: !!next.onQuick }
        : { kind: 'preview', id: next.id, job: next.job }) satisfies WorkerJob,
    );
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(this.entry, {
      workerData: { role: WORKER_ROLE, flags: this.cancelFlag.buffer },
      // A hostile template must not take the whole server with it: the worker dies alone.
      resourceLimits: { maxOldGenerationSizeMb: 2048 },
      stdout: false,
      stderr: false,
    });
    worker.on('message', (reply: WorkerReply) => {
      const job = this.running;
      if (!job || job.id !== reply.id) return;
      if ('quick' in reply) {
        if (job.kind === 'analysis' && !job.isStale()) job.onQuick?.(reply.quick, reply.ms);
        return;
      }
      this.running = undefined;
      if ('error' in reply) job.reject(new Error(reply.error));
      else if ('preview' in reply) {
        const encoded = reply.segments;
        if (job.kind === 'preview') job.resolve(previewPayload(reply.preview, () => decodeSegments(encoded)));
      } else if (job.kind === 'analysis') job.resolve(job.isStale() ? null : reply.result);
      this.pump();
    });
    const lost = (why: string) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      const job = this.running;
      this.running = undefined;
      if (this.disposed) return;
      this.log(`analysis thread stopped (${why}); starting a new one`);
      job?.reject(new Error(`the analysis thread stopped (${why})`));
      this.pump();
    };
    worker.on('error', err => lost(err.message));
    worker.on('exit', code => lost(`exit code ${code}`));
    worker.unref();
    this.worker = worker;
    return worker;
  }
}

/** A worker when the server runs from its bundle (the bundle is also the worker's entry), else in-process. */
export function createAnalyzer(entry: string | undefined, log: (msg: string) => void): Analyzer {
  if (process.env.DCR_ANALYSIS_THREAD === '0' || !entry || !entry.endsWith('.js')) return new InProcessAnalyzer();
  return new WorkerAnalyzer(entry, log);
}
