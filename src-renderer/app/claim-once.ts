/**
 * Every tab of a station hears every serial read. A printed command (undo, complete ...) must run once, not once
 * per tab: the first tab to take the read's lock runs it and keeps the lock a while, so a tab that hears the same
 * read a moment later finds it taken. Without Web Locks (one window: the desktop app) it simply runs.
 */
const holdMs = 10_000;

export function claimOnce(readId: string, run: () => Promise<void>): void {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return void run();
  void locks.request(`baglink.read.${readId}`, { ifAvailable: true }, async (lock) => {
    if (!lock) return;
    await run();
    await new Promise((resolve) => setTimeout(resolve, holdMs));
  });
}
