import { readFileSync } from 'node:fs';
import { decodeEnrolment, redactUrl } from '../central/enrol.ts';
import { StationError } from '../core/errors.ts';
import { enrolmentPath } from '../sync/config.ts';
import { joinStation } from '../sync/join.ts';
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
    const { rejoined } = joinStation(dataDir, enrolment);
    io.out(
      `Joined the centre ${redactUrl(enrolment.url)} as station "${enrolment.name}" (${enrolment.stationId}).`,
    );
    if (rejoined) {
      io.out(
        'This station was enrolled as another station before: its unsent changes go to the new enrolment, and it loads the centre again.',
      );
    }
    io.out(`Enrolment stored in ${enrolmentPath(dataDir)} (readable by this user only).`);
    return 0;
  },
};
