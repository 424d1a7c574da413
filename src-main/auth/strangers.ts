import type { Counters } from './lockout.ts';

/** How many unknown names are remembered; past it the oldest is forgotten (an attacker cannot grow memory). */
const maxNames = 10_000;

/**
 * Lockout counters for names that are no account (kept in memory only), so that an unknown name is answered
 * "locked" after as many tries as a real one and the answer never tells whether a username exists.
 */
export function createStrangerCounters() {
  const counters = new Map<string, Counters>();
  return {
    get: (key: string): Counters => counters.get(key) ?? { failedAttempts: 0, lockedUntil: null },
    set(key: string, next: Counters): void {
      counters.delete(key);
      counters.set(key, next);
      if (counters.size > maxNames) counters.delete(counters.keys().next().value as string);
    },
  };
}
