import { readFileSync, statSync } from 'node:fs';
import { decodeEnrolment, redactUrl, requireTls } from '../central/enrol.ts';
import { StationError } from '../../src-shared/errors.ts';
import { enrolmentPath, loadSyncConfig, saveSyncConfig } from '../sync/config.ts';
import { joinStation } from '../sync/join.ts';
import type { Command, CommandContext } from './command.ts';
import { syncCommand } from './cmd-sync.ts';
import { readAll, UsageError } from './io.ts';
import { commandHelp } from './usage.ts';

/** The station's side of enrolment: store what `central add-station` printed, owner-readable only. */
export const joinCommand: Command = {
  summary:
    'Joins this station to a centre with the enrolment line IT printed ("baglink central add-station").',
  usage: commandHelp.join.usage,
  options: {
    load: { type: 'boolean' },
    // Still parsed, only to refuse it with the reason: a line in argv is readable by every user of the PC.
    enrolment: { type: 'string' },
    'enrolment-file': { type: 'string' },
    'enrolment-stdin': { type: 'boolean' },
    insecure: { type: 'boolean' },
    'secret-stdin': { type: 'boolean' },
  },
  async run({ dataDir, values, io }: CommandContext): Promise<number> {
    if (values['secret-stdin']) return takeNewSecret(dataDir, (await readAll(io.stdin)).trim(), io);
    if (values.enrolment !== undefined) throw new StationError('enrolment_in_argv');
    let text: string | undefined;
    const file = values['enrolment-file'] as string | undefined;
    if (file) {
      if ((statSync(file).mode & 0o077) !== 0) throw new StationError('enrolment_file_open', { path: file });
      text = readFileSync(file, 'utf8');
    }
    if (values['enrolment-stdin']) text = await readAll(io.stdin);
    if (!text) throw new UsageError(`Usage: ${joinCommand.usage}`);
    let enrolment;
    try {
      enrolment = decodeEnrolment(text);
    } catch {
      throw new StationError('enrolment_invalid');
    }
    requireTls(enrolment.url, values.insecure === true);
    // Creates the data folder and database if this is a new station; its area is the one IT enrolled it in.
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
    if (!values.load) {
      io.out(
        'The first sync loads the centre\'s rows: run "baglink sync --once" to load them now, with progress.',
      );
      return 0;
    }
    return syncCommand.run({ dataDir, values: { once: true }, positionals: [], io });
  },
};

/** After IT's `central rotate-secret`: the same enrolment with the new secret (unsent scans go out with it). */
function takeNewSecret(dataDir: string, secret: string, io: CommandContext['io']): number {
  const config = loadSyncConfig(dataDir);
  if (!config) throw new StationError('not_enrolled');
  if (!/^[0-9a-f]{64}$/.test(secret)) throw new StationError('enrolment_invalid');
  saveSyncConfig(dataDir, { ...config, secret });
  io.out(`Station "${config.name}" (${config.stationId}) now uses its new secret.`);
  return 0;
}
