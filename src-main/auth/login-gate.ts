/**
 * At most `perAccount` password checks run at once for one account (argon2 takes ~20 ms and 19 MiB each);
 * later ones wait their turn in order. The lockout already bounds how many can be waiting: an attempt is
 * counted before it queues here.
 */
export function createLoginGate(perAccount = 2) {
  const lanes = new Map<string, { running: number; waiting: (() => void)[] }>();

  return async function through<T>(account: string, check: () => Promise<T>): Promise<T> {
    let lane = lanes.get(account);
    if (!lane) {
      lane = { running: 0, waiting: [] };
      lanes.set(account, lane);
    }
    const own = lane;
    if (own.running < perAccount) own.running++;
    // The slot is handed over by the check that finishes, so `running` does not change for a waiter.
    else await new Promise<void>((resolve) => own.waiting.push(resolve));
    try {
      return await check();
    } finally {
      const next = own.waiting.shift();
      if (next) next();
      else if (--own.running === 0) lanes.delete(account);
    }
  };
}

export type LoginGate = ReturnType<typeof createLoginGate>;
