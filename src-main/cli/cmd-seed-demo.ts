import { DEMO_PASSWORD, DEMO_PIN, seedDemo } from '../bench/seed.ts';
import { openStore } from '../store/open.ts';
import { UsageError } from './io.ts';
import type { Command, CommandContext } from './command.ts';
import { wholeNumber } from './numbers.ts';
import { commandHelp } from './usage.ts';

export const seedDemoCommand: Command = {
  summary:
    'Fills an empty station with realistic demo data: parents of 30 children, bills, re-reads and refusals over 30 days, ' +
    `and demo users (ravi, sunita, amit, priya, manoj, deepa: dock; meena: supervisor; password "${DEMO_PASSWORD}", PIN ${DEMO_PIN}).`,
  usage: commandHelp['seed-demo'].usage,
  options: { bags: { type: 'string' }, scans: { type: 'string' }, days: { type: 'string' } },
  async run({ dataDir, values, io }: CommandContext): Promise<number> {
    if (values.bags === undefined) throw new UsageError('Say how many bags with --bags N (at least 31).');
    const bags = wholeNumber(values, 'bags', 31, 31);
    const scans = wholeNumber(values, 'scans', Math.round(bags * 2.5));
    const days = wholeNumber(values, 'days', 30);
    const store = openStore(dataDir, { create: true });
    try {
      store.sqlite.pragma('synchronous = OFF');
      const s = await seedDemo(store.sqlite, { bags, scans, days, now: Date.now(), log: io.err });
      store.sqlite.pragma('synchronous = FULL');
      io.out(
        `Seeded ${s.parents} parents, ${s.children} children, ${s.bills} bills, ${s.scans} scans and ${s.users} users in ${s.seconds.toFixed(1)} s.`,
      );
      return 0;
    } catch (e) {
      if (e instanceof Error && e.message.startsWith('the station already'))
        throw new UsageError(`This station already has bags: seed an empty data folder.`);
      throw e;
    } finally {
      store.close();
    }
  },
};
