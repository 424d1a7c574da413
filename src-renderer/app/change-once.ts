/**
 * A change command (undo, complete parent) runs once however it is asked twice at once: a double click, or a
 * click in two tabs of the station at the same moment. The tab that runs it holds a Web Lock shared by every tab
 * of this station, through the call and for the double-read window after it; a second request meanwhile, in this
 * tab or another, finds it taken and does nothing (the flash of the first shows in every tab). Without Web Locks
 * (one window: the desktop app) a flag in this page does the same.
 */
export const changeHoldMs = 1500;

let running = false;

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Runs `run` unless a change is running or has just run; resolves, true if it ran, once the hold is over. */
export async function changeOnce(run: () => Promise<void>): Promise<boolean> {
  if (running) return false;
  running = true;
  try {
    const locks = (navigator as Navigator & { locks?: LockManager }).locks;
    if (!locks) {
      await run();
      await pause(changeHoldMs);
      return true;
    }
    return await locks.request('baglink.change', { ifAvailable: true }, async (lock) => {
      if (!lock) return false;
      await run();
      await pause(changeHoldMs);
      return true;
    });
  } finally {
    running = false;
  }
}
