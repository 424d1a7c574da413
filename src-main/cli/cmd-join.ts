import { readFileSync } from 'node:fs';
import { decodeEnrolment, redactUrl } from '../central/enrol.ts';
import { StationError } from '../core/errors.ts';
import { openStore } from '../store/open.ts';
import { enrolmentPath, saveEnrolment } from '../sync/config.ts';
import type { Command, CommandContext } from './command.ts';
import { readAll, UsageError } from './io.ts';

/** The station's side of enrolment: store what `central add-station` printed, owner-readable only. */
export const joinCommand: Command = {
  summary:
    'Joins this station to a centre with the enrolment line IT printed ("baglink central add-station").',
  usage: 'baglink join --enrolment LINE | --enrolment-file FILE | --enrolment-stdin [--data-dir DIR]',
  options: {
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
    // Creates the data folder and database if this is a new station.
    openStore(dataDir, { create: true }).close();
    saveEnrolment(dataDir, enrolment);
    io.out(
      `Joined the centre ${redactUrl(enrolment.url)} as station "${enrolment.name}" (${enrolment.stationId}).`,
    );
    io.out(`Enrolment stored in ${enrolmentPath(dataDir)} (readable by this user only).`);
    return 0;
  },
};
