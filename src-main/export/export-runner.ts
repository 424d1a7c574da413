import { Worker } from 'node:worker_threads';
import type { ExportJob, JobDone } from './export-job.ts';
import { StationError, type ErrorCode, type ErrorParams } from '../../src-shared/errors.ts';

// Beside the code that starts it: src-main/export/export-worker.js (loads worker.ts through tsx) in the
// sources, the bundled worker in dist-main/cli-<key>/ (bin/baglink.js) and dist-main/electron/ (build-main.ts).
const entry = new URL('./export-worker.js', import.meta.url);

/** At most this many exports build at once; more wait their turn (each worker holds a whole file). */
const MAX_RUNNING = 2;

export type FromExportWorker =
  | { ok: true; done: JobDone; bytes: Uint8Array }
  | {
      ok: false;
      error: { code: ErrorCode; params: ErrorParams } | { message: string; errno: string | null };
    };

/** The worker's refusal as the station's own error: a StationError, or an Error that keeps its errno code. */
function revive(error: Extract<FromExportWorker, { ok: false }>['error']): Error {
  if ('code' in error) return new StationError(error.code, error.params);
  return Object.assign(new Error(error.message), error.errno ? { code: error.errno } : {});
}

function runOne(job: ExportJob): Promise<{ done: JobDone; bytes: Buffer }> {
  return new Promise((resolve, reject) => {
    // A runaway export ends its own thread, not the station.
    const worker = new Worker(entry, { workerData: job, resourceLimits: { maxOldGenerationSizeMb: 768 } });
    let settled = false;
    worker.once('message', (m: FromExportWorker) => {
      settled = true;
      if (m.ok)
        resolve({ done: m.done, bytes: Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.length) });
      else reject(revive(m.error));
    });
    worker.once('error', (e) => {
      if (!settled) reject(e);
      settled = true;
    });
    worker.once('exit', (code) => {
      if (!settled) reject(new Error(`the export stopped before it finished (worker exit ${code})`));
      settled = true;
    });
  });
}

/** Runs export jobs in worker threads, a few at a time, in the order they were asked for. */
export function createExportRunner() {
  let running = 0;
  const waiting: (() => void)[] = [];

  async function turn(): Promise<void> {
    if (running < MAX_RUNNING) {
      running++;
      return;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }

  function done(): void {
    const next = waiting.shift();
    if (next) next();
    else running--;
  }

  return {
    async run(job: ExportJob): Promise<{ done: JobDone; bytes: Buffer }> {
      await turn();
      try {
        return await runOne(job);
      } finally {
        done();
      }
    },
  };
}

export type ExportRunner = ReturnType<typeof createExportRunner>;
