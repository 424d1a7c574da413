/**
 * A change command (undo, complete parent) runs once however it is asked twice at once: a double click, or a
 * click in two tabs of the station at the same moment. The tab that runs it holds a Web Lock for that command,
 * shared by every tab of this browser, through the call and a moment after it; a second request meanwhile, in
 * this tab or another, finds it taken and does nothing (the flash of the first shows in every tab). The moment is
 * shorter than the undo flash, so a worker who sees the flash and asks again is never refused. Without Web Locks
 * (one window: the desktop app) a flag in this page does the same.
 */
export const changeHoldMs = 500;

const running = new Set<string>();

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function runAndHold(run: () => Promise<void>): Promise<boolean> {
  await run();
  await pause(changeHoldMs);
  return true;
}

/** Runs `run` unless `name` is running or has just run; resolves, true if it ran, once the hold is over. */
export async function changeOnce(name: string, run: () => Promise<void>): Promise<boolean> {
  if (running.has(name)) return false;
  running.add(name);
  try {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!locks) return await runAndHold(run);
    return await locks.request(`baglink.change.${name}`, { ifAvailable: true }, (lock) =>
      lock ? runAndHold(run) : false,
    );
  } finally {
    running.delete(name);
  }
}
