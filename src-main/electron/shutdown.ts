export interface ShutdownStep {
  name: string;
  run(): Promise<void> | void;
}

export interface Shutdown {
  /** Runs every step once, in order; later calls wait for the first run. */
  run(): Promise<void>;
  readonly done: boolean;
}

/**
 * Stops the app in a fixed order: the API transports first (no new work), then scanners (reads already taken
 * are delivered), then sync, then the database. A step that fails or hangs past its time is logged and the
 * next step still runs, so the database is always closed last.
 */
export function createShutdown(
  steps: ShutdownStep[],
  log: (line: string) => void,
  stepTimeoutMs = 10_000,
): Shutdown {
  let running: Promise<void> | undefined;
  let done = false;
  const runAll = async () => {
    for (const step of steps) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), stepTimeoutMs);
      });
      try {
        const outcome = await Promise.race([Promise.resolve().then(step.run), timeout]);
        log(
          outcome === 'timeout'
            ? `shutdown: ${step.name} took too long; going on`
            : `shutdown: ${step.name} done`,
        );
      } catch (e) {
        log(`shutdown: ${step.name} failed: ${e instanceof Error ? e.message : String(e)}`);
      } finally {
        clearTimeout(timer);
      }
    }
    done = true;
  };
  return {
    run: () => (running ??= runAll()),
    get done() {
      return done;
    },
  };
}
