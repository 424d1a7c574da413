/** `baglink central watchdog`: IT runs it beside PgBouncer (a service, or --once from a timer). */
import { withAdmin } from '../central/enrol.ts';
import { cutOverdueStationBackends, DEFAULT_MAX_TRANSACTION_SECONDS } from '../central/watchdog.ts';
import type { CommandContext } from './command.ts';
import { UsageError } from './io.ts';

export const watchdogOptions = {
  'max-seconds': { type: 'string' },
  every: { type: 'string' },
  once: { type: 'boolean' },
} as const;

function seconds(v: unknown, fallback: number, flag: string): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`${flag} is a number of seconds, for example ${fallback}.`);
  return n;
}

export async function runWatchdog(url: string, c: CommandContext): Promise<number> {
  const max = seconds(c.values['max-seconds'], DEFAULT_MAX_TRANSACTION_SECONDS, '--max-seconds');
  const every = seconds(c.values.every, 5, '--every');
  let stopped = false;
  const stop = () => {
    stopped = true;
  };
  if (!c.values.once) {
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    c.io.out(`Ending any station backend whose transaction is older than ${max} s, every ${every} s.`);
  }
  do {
    try {
      for (const b of await withAdmin(url, (client) => cutOverdueStationBackends(client, max)))
        c.io.out(
          `Ended station backend pid ${b.pid} (${b.state}, transaction ${b.ageSeconds} s old): it held the pull horizon back.`,
        );
    } catch (e) {
      if (c.values.once) throw e;
      c.io.err(`The centre did not answer (${(e as Error).message}); trying again in ${every} s.`);
    }
    if (!c.values.once) await new Promise((r) => setTimeout(r, every * 1000));
  } while (!c.values.once && !stopped);
  process.off('SIGINT', stop);
  process.off('SIGTERM', stop);
  return 0;
}
