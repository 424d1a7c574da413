/**
 * The lockout rules, decided on an account's counters before and after the slow password check. An attempt is
 * counted when it begins (in the same transaction that decides "locked"), so guesses sent at once cannot all
 * pass a check that none of them has counted yet; a correct secret gives its count back. A failure never clears
 * a lock: only time, a correct secret before the lock, or an admin does.
 */
export interface Counters {
  failedAttempts: number;
  lockedUntil: number | null;
}

export interface LockoutRules {
  attempts: number;
  lockMs: number;
}

export type Begin =
  { go: true; next: Counters } | { go: false; next: Counters; until: number; lockedNow: boolean };

export type Failure = { next: Counters; lockedNow: boolean };

export function isLocked(c: Counters, now: number): boolean {
  return c.lockedUntil !== null && c.lockedUntil > now;
}

/** Before the verify: refuse a locked account, or one whose attempts are all taken (then lock it now). */
export function beginAttempt(c: Counters, now: number, rules: LockoutRules): Begin {
  if (isLocked(c, now)) return { go: false, next: c, until: c.lockedUntil as number, lockedNow: false };
  // A lock that has run out starts a fresh count.
  const counted = c.lockedUntil === null ? c.failedAttempts : 0;
  if (counted >= rules.attempts) {
    const until = now + rules.lockMs;
    return { go: false, next: { failedAttempts: counted, lockedUntil: until }, until, lockedNow: true };
  }
  return { go: true, next: { failedAttempts: counted + 1, lockedUntil: null } };
}

/** After a wrong secret: the attempt is already counted; the one that uses up the last try sets the lock. */
export function failAttempt(c: Counters, now: number, rules: LockoutRules): Failure {
  if (isLocked(c, now) || c.failedAttempts < rules.attempts) return { next: c, lockedNow: false };
  return { next: { failedAttempts: c.failedAttempts, lockedUntil: now + rules.lockMs }, lockedNow: true };
}
