import { readFileSync } from 'node:fs';
import { decodeEnrolment, redactUrl } from '../central/enrol.ts';
import { StationError } from '../core/errors.ts';
import { openStore } from '../store/open.ts';
import { enrolmentPath, saveEnrolment } from '../sync/config.ts';
import type { Command, CommandContext } from './command.ts';
import { syncCommand } from './cmd-sync.ts';
import { createStationRepo } from '../store/station-repo.ts';
import { readAll, UsageError } from './io.ts';

/** The station's side of enrolment: store what `central add-station` printed, owner-readable only. */
export const joinCommand: Command = {
  summary:
    'Joins this station to a centre with the enrolment line IT printed ("baglink central add-station").',
  usage:
    'baglink join --enrolment LINE | --enrolment-file FILE | --enrolment-stdin [--load] [--data-dir DIR]',
  options: {
    load: { type: 'boolean' },
    enrolment: { type: 'string' },
    'enrolment-file': { type: 'string' },
    'enrolment-stdin': { type: 'boolean' },
  },
  async run({ dataDir, values, io }: CommandContext): Promise<number> {
    let text = values.enrolment as string | undefined;
    if (values['enrolment-file']) text = readFileSync(values['enrolment-file'] as string, 'utf8');
    if (values['enrolment-stdin']) text = await readAll(io.stdin);
    if (!text) throw new UsageError(`Usage: ${joinCommand.usage}`);
    let enrolment;
    try {
      enrolment = decodeEnrolment(text);
    } catch {
      throw new StationError('enrolment_invalid');
    }
    // Creates the data folder and database if this is a new station; the centre owns its dispatch area.
    const store = openStore(dataDir, { create: true });
    try {
      const stations = createStationRepo(store.sqlite, () => Date.now());
      stations.save({ ...stations.load(), dispatchArea: enrolment.dispatchArea.toUpperCase() });
    } finally {
      store.close();
    }
    saveEnrolment(dataDir, enrolment);
    io.out(
      `Joined the centre ${redactUrl(enrolment.url)} as station "${enrolment.name}" (${enrolment.stationId}).`,
    );
    io.out(`Enrolment stored in ${enrolmentPath(dataDir)} (readable by this user only).`);
    if (!values.load) {
      io.out(
        'The first sync loads the centre\'s rows: run "baglink sync --once" to load them now, with progress.',
      );
      return 0;
    }
    return syncCommand.run({ dataDir, values: { once: true }, positionals: [], io });
  },
};
