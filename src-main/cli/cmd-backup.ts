import { resolve } from 'node:path';
import { backupStation } from '../store/backup.ts';
import type { Command, CommandContext } from './command.ts';
import { UsageError } from './io.ts';
import { commandHelp } from './usage.ts';

/** For IT: a consistent copy of the station database, taken while the station runs. */
export const backupCommand: Command = {
  summary:
    'Writes a consistent copy of the station database to FILE (owner-readable only), while the station runs. It holds scans, bags, bills and users with their password hashes; not the enrolment (central.json).',
  usage: commandHelp.backup.usage,
  options: { out: { type: 'string' } },
  async run({ dataDir, values, io }: CommandContext): Promise<number> {
    const out = values.out as string | undefined;
    if (!out) throw new UsageError(`Usage: ${backupCommand.usage}`);
    const { bytes } = await backupStation(dataDir, resolve(out));
    io.out(`Backup written to ${resolve(out)} (${bytes} bytes, readable by this user only).`);
    io.out('Restore it with "baglink restore FILE" while the station is stopped.');
    return 0;
  },
};
