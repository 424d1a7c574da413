import { resolve } from 'node:path';
import { restoreStation } from '../store/backup.ts';
import type { Command, CommandContext } from './command.ts';
import { UsageError } from './io.ts';
import { commandHelp } from './usage.ts';

/** For IT: puts a backup back; the station's next sync recovers it at the centre. */
export const restoreCommand: Command = {
  summary:
    'Puts a backup made by "baglink backup" back as the station database (refused while the station runs). Its next sync recovers it at the centre: nothing the centre acknowledged is lost.',
  usage: commandHelp.restore.usage,
  options: {},
  async run({ dataDir, positionals, io }: CommandContext): Promise<number> {
    const [file] = positionals;
    if (!file || positionals.length > 1) throw new UsageError(`Usage: ${restoreCommand.usage}`);
    const { unsent } = restoreStation(dataDir, resolve(file));
    io.out(`Restored ${resolve(file)} into ${dataDir}; ${unsent} change(s) from the backup still to send.`);
    io.out(
      'At its next sync (start the station, or run "baglink sync --once") it recovers at the centre: it takes back what the centre holds for it and sends its own changes once.',
    );
    io.out('Changes made after the backup and never sent to the centre are lost.');
    return 0;
  },
};
