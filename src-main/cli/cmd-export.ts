import { PassThrough, type Writable } from 'node:stream';
import { dayAndHour } from '../../src-shared/clock.ts';
import { createStation } from '../app/station.ts';
import type { ExportDone } from '../export/export-service.ts';
import { writeExportFile } from '../export/file-target.ts';
import { fileSafe } from '../core/local-time.ts';
import { refuseStationTarget } from '../store/out-target.ts';
import { UsageError } from './io.ts';
import type { Command, CommandContext } from './command.ts';
import {
  billFormats,
  exportFormat,
  reportFormats,
  type BillFormat,
  type ReportFormat,
} from '../../src-shared/export-formats.ts';
import { commandHelp } from './usage.ts';

const usage = commandHelp.export.usage;

/** How often a long export says how far it is (BAGLINK_PROGRESS_MS: tests set 0 to see every step). */
const progressEveryMs = () => Number(process.env.BAGLINK_PROGRESS_MS ?? 1000);

/** Writes through the safe file writer; a long export says on stderr how much it has written. */
function toFile<T>(path: string, run: (out: Writable) => Promise<T>, progress: (line: string) => void) {
  return writeExportFile(path, async (file) => {
    const counted = new PassThrough();
    const every = progressEveryMs();
    let bytes = 0;
    let last = Date.now();
    counted.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      if (Date.now() - last < every) return;
      last = Date.now();
      progress(`writing ${path}: ${(bytes / 1_048_576).toFixed(1)} MB so far`);
    });
    counted.pipe(file);
    const done = await run(counted);
    if (!counted.writableEnded) counted.end();
    return done;
  });
}

export const exportCommand: Command = {
  summary:
    'Exports a bill (its dispatch note) or the end-of-day summary to a file, in one of the formats below. ' +
    'Runs as the console: anyone who can read the station folder; every export is written to the audit trail.',
  usage,
  options: { format: { type: 'string' }, out: { type: 'string' }, date: { type: 'string' } },
  async run({ dataDir, values, positionals, io }: CommandContext): Promise<number> {
    const [what, billNo] = positionals;
    const format = values.format as string | undefined;
    if (what !== 'bill' && what !== 'eod') throw new UsageError(`Say what to export: ${usage}`);
    const formats: readonly string[] = what === 'bill' ? billFormats : reportFormats;
    if (!format || !formats.includes(format)) {
      throw new UsageError(`Give the format with --format ${formats.join('|')}.`);
    }
    if (what === 'bill' && !billNo) throw new UsageError(`Give the bill number: ${usage}`);
    const station = createStation({ dataDir });
    try {
      let done: ExportDone;
      let path: string;
      if (what === 'bill') {
        const bill = billNo as string;
        const extension = exportFormat(format as BillFormat).extension;
        path =
          (values.out as string | undefined) ?? `bill-${fileSafe(bill.trim().toUpperCase())}.${extension}`;
        refuseStationTarget(path, dataDir);
        done = await toFile(
          path,
          (out) => station.exports.bill('console', bill, format as BillFormat, out),
          io.err,
        );
      } else {
        const day = (values.date as string | undefined) ?? dayAndHour(Date.now()).day;
        const extension = exportFormat(format as ReportFormat).extension;
        path = (values.out as string | undefined) ?? `end-of-day-${day}.${extension}`;
        refuseStationTarget(path, dataDir);
        done = await toFile(
          path,
          (out) =>
            station.exports.endOfDay('console', day, format as ReportFormat, station.status().sync, out),
          io.err,
        );
      }
      io.out(`Wrote ${path} (${done.mimeType}).`);
      return 0;
    } finally {
      station.close();
    }
  },
};
