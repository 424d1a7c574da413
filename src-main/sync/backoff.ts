/**
 * Full-jitter exponential backoff: the n-th retry waits a random time in [0, min(cap, base * 2^n)), so a
 * hundred stations that lost the centre together do not come back together.
 */
export function backoffDelay(attempt: number, baseMs = 1_000, capMs = 60_000, random = Math.random): number {
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.min(attempt, 30));
  return Math.floor(random() * ceiling);
}
