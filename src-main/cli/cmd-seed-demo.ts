import { seedDemo } from '../bench/seed.ts';
import { openStore } from '../store/open.ts';
import { UsageError } from './io.ts';
import type { Command, CommandContext } from './command.ts';

export const seedDemoCommand: Command = {
  summary:
    'Fills an empty station with realistic demo data: parents of 30 children, bills, re-reads and refusals over 30 days, ' +
    'and demo users (ravi, sunita, amit, priya, manoj, deepa: dock; meena: supervisor; password "demo-password", PIN 123456).',
  usage: 'baglink seed-demo --bags N [--scans N] [--days D] [--data-dir DIR]',
  options: { bags: { type: 'string' }, scans: { type: 'string' }, days: { type: 'string' } },
  async run({ dataDir, values, io }: CommandContext): Promise<number> {
    const bags = Number(values.bags);
    if (!Number.isInteger(bags) || bags < 31)
      throw new UsageError('Say how many bags with --bags N (at least 31).');
    const scans = values.scans === undefined ? Math.round(bags * 2.5) : Number(values.scans);
    const days = values.days === undefined ? 30 : Number(values.days);
    if (!Number.isInteger(scans) || !Number.isInteger(days) || days < 1)
      throw new UsageError('--scans and --days take whole numbers.');
    const store = openStore(dataDir);
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
      store.sqlite.close();
    }
  },
};
