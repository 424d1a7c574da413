import { describe, expect, it } from 'vitest';
import { restartDelay, supervise, type Supervised } from './supervisor.ts';

/** A worker whose end the test decides, and timers the test fires by hand. */
function harness() {
  const workers: { end(code: number): void; stopped: boolean }[] = [];
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  let now = 0;
  const log: string[] = [];
  const supervisor = supervise({
    name: 'sync',
    log: (l) => log.push(l),
    now: () => now,
    random: () => 1,
    baseDelayMs: 100,
    maxDelayMs: 1000,
    healthyAfterMs: 10_000,
    setTimer: (fn, ms) => {
      const t = { fn, ms, cancelled: false };
      timers.push(t);
      return { cancel: () => (t.cancelled = true) };
    },
    start(): Supervised {
      let end!: (code: number) => void;
      const ended = new Promise<{ code: number | null }>((resolve) => (end = (code) => resolve({ code })));
      const w = { end, stopped: false };
      workers.push(w);
      return { ended, stop: async () => void (w.stopped = true) };
    },
  });
  const flush = () => new Promise((r) => setImmediate(r));
  return { workers, timers, log, supervisor, flush, advance: (ms: number) => (now += ms) };
}

describe('worker supervisor', () => {
  it('restarts a crashed worker after a delay that doubles per crash in a row, up to the cap', async () => {
    const h = harness();
    for (let i = 0; i < 6; i++) {
      h.workers.at(-1)!.end(1);
      await h.flush();
      h.timers.at(-1)!.fn();
    }
    expect(h.timers.map((t) => t.ms)).toEqual([100, 200, 400, 800, 1000, 1000]);
    expect(h.workers).toHaveLength(7);
    expect(h.supervisor.restarts).toBe(6);
    expect(h.log[0]).toBe('sync: stopped (code 1); restarting in 100 ms');
  });

  it('starts the delay over after a healthy run', async () => {
    const h = harness();
    h.workers[0]!.end(1);
    await h.flush();
    h.timers[0]!.fn();
    h.advance(20_000);
    h.workers[1]!.end(1);
    await h.flush();
    expect(h.timers.map((t) => t.ms)).toEqual([100, 100]);
  });

  it('stop() stops the running worker and cancels a pending restart', async () => {
    const h = harness();
    await h.supervisor.stop();
    expect(h.workers[0]!.stopped).toBe(true);
    const h2 = harness();
    h2.workers[0]!.end(1);
    await h2.flush();
    await h2.supervisor.stop();
    expect(h2.timers[0]!.cancelled).toBe(true);
  });

  it('jitters between half and all of the delay', () => {
    expect(restartDelay(1, 1000, 60_000, () => 0)).toBe(500);
    expect(restartDelay(3, 1000, 60_000, () => 1)).toBe(4000);
    expect(restartDelay(20, 1000, 60_000, () => 0.5)).toBe(45_000);
  });
});
