import { openStore } from '../store/open.ts';
import type { Command, CommandContext } from './command.ts';
import { commandHelp } from './usage.ts';

export const migrateCommand: Command = {
  summary: 'Creates the station database in the data folder, or upgrades it to this version.',
  usage: commandHelp.migrate.usage,
  options: {},
  async run({ dataDir, io }: CommandContext): Promise<number> {
    const store = openStore(dataDir, { create: true });
    const applied = store.sqlite.prepare(`select count(*) as n from __drizzle_migrations`).get() as {
      n: number;
    };
    store.close();
    io.out(`Database in ${dataDir} is up to date (${applied.n} migrations applied).`);
    return 0;
  },
};
