import { createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fillBigBill, fillDayOfScans } from '../export/bulk-fill.ts';
import { round } from './stats.ts';
import { createStation, type Station } from '../app/station.ts';
import { localDay } from '../core/local-time.ts';

const MB = 1048576;
const DAY = '2026-01-15';

/** Time, CPU time, output size and the peak RSS above the start (sampled every few ms) of one export. */
async function measure(label: string, dir: string, run: (path: string) => Promise<unknown>) {
  const path = join(dir, label);
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const cpu = process.cpuUsage();
  const start = performance.now();
  await run(path);
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  // CPU time beside wall time: on a busy machine the wall clock also counts other processes' turns.
  return {
    ms: round(ms),
    cpuMs: round((used.user + used.system) / 1000),
    bytes: statSync(path).size,
    peakRssDeltaMb: round((peak - before) / MB),
  };
}

function exportBill(station: Station, billNo: string, format: 'csv' | 'xlsx' | 'pdf') {
  return (path: string) => station.exports.bill('console', billNo, format, createWriteStream(path));
}

/**
 * The streaming export path (what `baglink export` runs) on a bill of 500 full parents (15,000 children) and an
 * end-of-day of 50,000 scans, with a small bill beside the big one: constant memory shows as the same RSS
 * delta for both. Prints nothing; returns JSON-ready figures. Budget: under 2 s each.
 */
export async function measureExports(
  o: { parents?: number; childrenPerParent?: number; scans?: number } = {},
) {
  const parents = o.parents ?? 500;
  const perParent = o.childrenPerParent ?? 30;
  const scans = o.scans ?? 50_000;
  const dir = mkdtempSync(join(tmpdir(), 'baglink-export-bench-'));
  const station = createStation({ dataDir: dir, create: true });
  try {
    await station.users.createFirstAdmin({ username: 'admin', password: 'export-bench-password' });
    await station.users.createFromConsole({
      username: 'ravi',
      role: 'dock',
      password: 'export-bench-password',
    });
    const ids = ['admin', 'ravi'].map((u) => station.ctx.users.byUsername(u)!.id);
    const { stationId, dispatchArea } = station.ctx.station;
    const start = localDay(DAY)!.start;
    const base = { dockUserId: ids[1]!, supervisorUserId: ids[0]!, stationId, dispatchArea };
    fillBigBill(station.ctx.sqlite, {
      ...base,
      billNo: 'BIG-1',
      parents,
      childrenPerParent: perParent,
      at: start + 8 * 3_600_000,
    });
    const small = Math.max(1, Math.round(parents / 10));
    station.ctx.sqlite.exec(`update bags set code = 'X' || code`); // the second bill needs other codes
    fillBigBill(station.ctx.sqlite, {
      ...base,
      billNo: 'SMALL-1',
      parents: small,
      childrenPerParent: perParent,
      at: start + 9 * 3_600_000,
    });
    fillDayOfScans(station.ctx.sqlite, { dayStart: start, scans, userIds: ids, stationId });

    const out = dir;
    const report = {
      bench: 'exports',
      at: new Date().toISOString(),
      node: process.version,
      bill: { parents, children: parents * perParent },
      smallBill: { parents: small, children: small * perParent },
      endOfDayScans: scans,
      // The small bill first, so the big one cannot look constant only because memory was already grown.
      smallBillCsv: await measure('small.csv', out, exportBill(station, 'SMALL-1', 'csv')),
      billCsv: await measure('bill.csv', out, exportBill(station, 'BIG-1', 'csv')),
      smallBillXlsx: await measure('small.xlsx', out, exportBill(station, 'SMALL-1', 'xlsx')),
      billXlsx: await measure('bill.xlsx', out, exportBill(station, 'BIG-1', 'xlsx')),
      // The first PDF of a process also pays for parsing the fonts and building their shaping tables (~0.4 s).
      billPdf: await measure('bill.pdf', out, exportBill(station, 'BIG-1', 'pdf')),
      billPdfAgain: await measure('bill-again.pdf', out, exportBill(station, 'BIG-1', 'pdf')),
      endOfDayCsv: await measure('eod.csv', out, (path) =>
        station.exports.endOfDay('console', DAY, 'csv', null, createWriteStream(path)),
      ),
      endOfDayPdf: await measure('eod.pdf', out, (path) =>
        station.exports.endOfDay('console', DAY, 'pdf', null, createWriteStream(path)),
      ),
      budget: { msEach: 2000 },
    };
    return report;
  } finally {
    station.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
