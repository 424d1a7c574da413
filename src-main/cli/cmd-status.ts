import { createStation } from '../app/station.ts';
import type { Command, CommandContext } from './command.ts';
import { commandHelp } from './usage.ts';

export const statusCommand: Command = {
  summary: 'Shows the station identity, users, and the outbox waiting for the centre.',
  usage: commandHelp.status.usage,
  options: { json: { type: 'boolean' } },
  async run({ dataDir, values, io }: CommandContext): Promise<number> {
    const station = createStation({ dataDir });
    try {
      const status = station.status();
      if (values.json) {
        io.out(JSON.stringify(status, null, 2));
        return 0;
      }
      const oldest = status.outbox.oldestUnsentAt
        ? new Date(status.outbox.oldestUnsentAt).toISOString()
        : '-';
      io.out(
        `Station     ${status.name} (${status.stationId}), area ${status.dispatchArea}, version ${status.version}`,
      );
      io.out(`Data folder ${status.dataDir}`);
      io.out(
        `Users       ${status.users}${status.users === 0 ? ' — add an admin: baglink user add --role admin ...' : ''}`,
      );
      io.out(`Outbox      ${status.outbox.depth} waiting, oldest ${oldest}`);
      for (const warning of status.warnings) io.out(`Warning     ${warning.message}`);
      const sync = status.sync;
      const when = (t: number | null) => (t ? new Date(t).toISOString() : '-');
      // A long transaction at the centre holds newer changes back: not "idle" (issue 12, the pull horizon).
      const waiting = sync.waitingForCentre && `waiting for the centre (${sync.waitingForCentre.seconds} s)`;
      const phase = waiting && sync.state === 'idle' ? waiting : sync.state;
      io.out(`Sync        ${phase}${sync.central ? ` to ${sync.central}` : ''}`);
      if (waiting) {
        io.out(
          `            ${phase === waiting ? '' : `${waiting}: `}a long transaction at the centre holds newer changes back`,
        );
      }
      if (sync.central) {
        io.out(`            last success ${when(sync.lastSuccessAt)}, conflicts ${sync.conflicts}`);
        if (sync.lastError) io.out(`            last error ${when(sync.lastErrorAt)}: ${sync.lastError}`);
      }
      return 0;
    } finally {
      station.close();
    }
  },
};
