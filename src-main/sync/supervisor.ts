import { Worker } from 'node:worker_threads';
import type { FromWorker, ToWorker, WorkerOptions } from './worker.ts';

// Beside the code that starts it: src-main/sync/worker-entry.js (loads worker.ts through tsx) in the sources,
// the bundled worker in dist-main/cli-<key>/ (bin/baglink.js) and dist-main/electron/ (scripts/build-main.ts).
const entry = new URL('./worker-entry.js', import.meta.url);

/**
 * The station's side of the sync worker: starts it, nudges it after each local change, relays its state,
 * and stops it cleanly (the worker finishes the call in flight, so nothing is half-acknowledged).
 */
export function startSyncWorker(
  options: Partial<WorkerOptions> & { dataDir: string },
  onState: (state: unknown) => void,
  onError: (message: string) => void = () => undefined,
  onPulled: () => void = () => undefined,
) {
  const workerOptions: WorkerOptions = {
    intervalMs: 5_000,
    backoffBaseMs: 1_000,
    backoffCapMs: 60_000,
    ...options,
  };
  const worker = new Worker(entry, { workerData: workerOptions });
  let exited = false;
  const stopped = new Promise<void>((resolve) => {
    worker.on('exit', () => {
      exited = true;
      resolve();
    });
  });
  worker.on('message', (m: FromWorker) => {
    if (m.type === 'state') onState(m.state);
    if (m.type === 'pulled') onPulled();
  });
  worker.on('error', (e) => onError(`The sync worker stopped: ${e.message}`));
  const send = (m: ToWorker) => {
    if (!exited) worker.postMessage(m);
  };
  let kickPending = false;

  return {
    /** A local change is waiting: sync soon (coalesced, so a burst of scans is one nudge). */
    kick(): void {
      if (kickPending) return;
      kickPending = true;
      setTimeout(() => {
        kickPending = false;
        send({ type: 'kick' });
      }, 50).unref();
    },
    async stop(): Promise<void> {
      if (exited) return;
      send({ type: 'stop' });
      const timeout = setTimeout(() => void worker.terminate(), 15_000);
      await stopped;
      clearTimeout(timeout);
    },
  };
}

export type SyncWorker = ReturnType<typeof startSyncWorker>;
