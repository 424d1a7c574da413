/**
 * The sync worker, run in a worker_thread (see worker-entry.js): its own SQLite connection and pg pool, so the
 * station's scans never wait for the network. It syncs when kicked (a new change), on a timer, and after a
 * failure on a full-jitter backoff timer, and posts its state to the station after every step.
 */
import { throttled } from './progress.ts';
import { parentPort, workerData } from 'node:worker_threads';
import { backoffDelay } from './backoff.ts';
import { createSyncEngine } from './engine.ts';
import type { SyncPhase } from '../../src-shared/sync-status.ts';

export interface WorkerOptions {
  dataDir: string;
  intervalMs: number;
  backoffBaseMs: number;
  backoffCapMs: number;
  /** The full connection string (the desktop app keeps the password encrypted): preferred over central.json's. */
  connectionString?: string;
}

export type ToWorker = { type: 'kick' } | { type: 'stop' };
/** pulled: a pull applied changes from the centre (links may have changed: the screens read again). */
export type FromWorker =
  { type: 'state'; state: unknown } | { type: 'pulled'; count: number } | { type: 'stopped' };

const options = workerData as WorkerOptions;
const port = parentPort!;
const engine = createSyncEngine({
  dataDir: options.dataDir,
  // A first load or a large catch-up: the screens see how far it is, a few times a second at most.
  onProgress: throttled(() => post(), 250),
  ...(options.connectionString ? { connectionString: options.connectionString } : {}),
});
let phase: SyncPhase = 'idle';
let nextAttemptAt: number | null = null;
let timer: NodeJS.Timeout | null = null;
let running = false;
let again = false;
let stopping = false;
let failures = 0;

function post(): void {
  port.postMessage({
    type: 'state',
    state: engine.state({ state: phase, nextAttemptAt }),
  } satisfies FromWorker);
}

function schedule(delayMs: number): void {
  if (timer) clearTimeout(timer);
  nextAttemptAt = Date.now() + delayMs;
  timer = setTimeout(() => void run(), delayMs);
}

async function run(): Promise<void> {
  if (stopping) return;
  if (running) {
    again = true;
    return;
  }
  running = true;
  if (timer) clearTimeout(timer);
  timer = null;
  phase = 'syncing';
  nextAttemptAt = null;
  post();
  try {
    const { pulled } = await engine.cycle();
    if (pulled > 0) port.postMessage({ type: 'pulled', count: pulled } satisfies FromWorker);
    failures = 0;
    phase = 'idle';
    if (!stopping) schedule(again ? 0 : options.intervalMs);
  } catch {
    phase = 'retrying';
    await engine.idle();
    if (!stopping) schedule(backoffDelay(failures++, options.backoffBaseMs, options.backoffCapMs));
  } finally {
    again = false;
    running = false;
    if (!stopping) post();
  }
}

port.on('message', (message: ToWorker) => {
  // While backing off after a failure, new changes wait for the timer: a dead centre is not hammered per scan.
  if (message.type === 'kick' && phase !== 'retrying') void run();
  if (message.type === 'stop') {
    stopping = true;
    if (timer) clearTimeout(timer);
    const finish = async () => {
      while (running) await new Promise((r) => setTimeout(r, 20));
      await engine.close();
      port.postMessage({ type: 'stopped' } satisfies FromWorker);
      port.close();
    };
    void finish();
  }
});

void run();
