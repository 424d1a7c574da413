/** Something the app runs in the background (the sync worker): started, and told when it dies. */
export interface Supervised {
  /** Resolves when the worker ends on its own; the reason is logged. */
  readonly ended: Promise<{ code: number | null; reason?: string }>;
  stop(): Promise<void>;
}

export interface SupervisorOptions {
  name: string;
  start(): Supervised;
  log(line: string): void;
  /** First restart delay (default 1 s), doubled per crash in a row up to maxDelayMs (default 60 s). */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** A run this long counts as healthy and resets the delay (default 60 s). */
  healthyAfterMs?: number;
  now?: () => number;
  random?: () => number;
  setTimer?: (fn: () => void, ms: number) => { cancel(): void };
}

export interface Supervisor {
  readonly restarts: number;
  stop(): Promise<void>;
}

/** Full jitter: a random delay in [delay/2, delay], so stations that crash together do not retry together. */
export function restartDelay(crashesInARow: number, base: number, max: number, random: () => number): number {
  const ceiling = Math.min(max, base * 2 ** Math.max(0, crashesInARow - 1));
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** Keeps a worker running: a crash is logged and the worker started again after a growing delay. */
export function supervise(o: SupervisorOptions): Supervisor {
  const base = o.baseDelayMs ?? 1000;
  const max = o.maxDelayMs ?? 60_000;
  const healthyAfter = o.healthyAfterMs ?? 60_000;
  const now = o.now ?? Date.now;
  const random = o.random ?? Math.random;
  const setTimer =
    o.setTimer ??
    ((fn: () => void, ms: number) => {
      const t = setTimeout(fn, ms);
      return { cancel: () => clearTimeout(t) };
    });
  let stopped = false;
  let crashesInARow = 0;
  let restarts = 0;
  let current: Supervised | undefined;
  let timer: { cancel(): void } | undefined;

  const run = () => {
    if (stopped) return;
    const startedAt = now();
    const worker = o.start();
    current = worker;
    void worker.ended.then(({ code, reason }) => {
      if (stopped || current !== worker) return;
      current = undefined;
      crashesInARow = now() - startedAt >= healthyAfter ? 1 : crashesInARow + 1;
      const delay = restartDelay(crashesInARow, base, max, random);
      o.log(`${o.name}: stopped (code ${code}${reason ? `, ${reason}` : ''}); restarting in ${delay} ms`);
      timer = setTimer(() => {
        timer = undefined;
        restarts++;
        run();
      }, delay);
    });
  };
  run();

  return {
    get restarts() {
      return restarts;
    },
    async stop() {
      stopped = true;
      timer?.cancel();
      const worker = current;
      current = undefined;
      await worker?.stop();
    },
  };
}
