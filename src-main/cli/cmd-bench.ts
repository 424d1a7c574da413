import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  measureDashboard,
  measureFloor,
  measureLogins,
  measureLookups,
  measureScans,
} from '../bench/core-bench.ts';
import { measureExports } from '../bench/export-bench.ts';
import { measureScansDuringExport } from '../bench/export-load-bench.ts';
import { measureStartup } from '../bench/startup-bench.ts';
import { measureSerial } from '../bench/serial-bench.ts';
import { measureScansWithHardware } from '../bench/hardware-bench.ts';
import { defaultBatchLimits } from '../sync/push.ts';
import { measureStationRss } from '../bench/station-rss.ts';
import { seededCopy } from '../bench/template.ts';
import { createStation } from '../app/station.ts';
import type { Command, CommandContext } from './command.ts';
import { UsageError } from './io.ts';
import { wholeNumber } from './numbers.ts';
import { commandHelp } from './usage.ts';

/** Scan to flash painted in Chromium; loaded on demand so playwright stays out of every other command. */
async function measureFlashIfPossible(samples: number, log: (line: string) => void) {
  try {
    const { measureFlash } = await import('../bench/flash-bench.ts');
    return await measureFlash({ samples, log });
  } catch (e) {
    return { skipped: e instanceof Error ? e.message : String(e) };
  }
}

/** A 0|1 switch that is on unless given as 0 (anything else is a mistake in the command, as a bad number is). */
function zeroOrOne(values: CommandContext['values'], flag: string): boolean {
  const n = wholeNumber(values, flag, 1, 0);
  if (n > 1) throw new UsageError(`--${flag} takes 0 or 1, not "${n}": for example --${flag} 0.`);
  return n === 1;
}

export const benchCommand: Command = {
  summary:
    'Measures scan.submit (commit included), bags.lookup and stats.dashboard on a station seeded to N bags and M scans, ' +
    'next to the bare SQLite floor in the same run. Prints JSON; never fails on a time.',
  usage: commandHelp.bench.usage,
  options: {
    bags: { type: 'string' },
    scans: { type: 'string' },
    samples: { type: 'string' },
    'flash-samples': { type: 'string' },
    out: { type: 'string' },
    central: { type: 'string' },
    stations: { type: 'string' },
    'catch-up': { type: 'string' },
    'bootstrap-bags': { type: 'string' },
    batch: { type: 'string' },
    rounds: { type: 'string' },
    'steady-seconds': { type: 'string' },
    'steady-interval-ms': { type: 'string' },
    'steady-scans': { type: 'string' },
    direct: { type: 'string' },
    tls: { type: 'string' },
  },
  async run({ values, io }: CommandContext): Promise<number> {
    if (values.central !== undefined) {
      const { runCentralBench } = await import('../bench/central-bench.ts');
      const report = await runCentralBench({
        central: String(values.central || 'private'),
        stations: wholeNumber(values, 'stations', 200, 0),
        scansPerStation: wholeNumber(values, 'scans', 1000),
        batch: wholeNumber(values, 'batch', defaultBatchLimits.maxOps),
        catchUpScans: wholeNumber(values, 'catch-up', 100_000, 0),
        bootstrapBags: wholeNumber(values, 'bootstrap-bags', 2_000_000, 0),
        rounds: wholeNumber(values, 'rounds', 3),
        steadySeconds: wholeNumber(values, 'steady-seconds', 60, 0),
        steadyIntervalMs: wholeNumber(values, 'steady-interval-ms', 5000),
        steadyScans: wholeNumber(values, 'steady-scans', 3),
        direct: zeroOrOne(values, 'direct'),
        tls: zeroOrOne(values, 'tls'),
        log: io.err,
      });
      io.out(JSON.stringify(report, null, 2));
      if (values.out) writeFileSync(values.out as string, JSON.stringify(report, null, 2));
      return 0;
    }
    // The seed needs at least one full parent (30 children) and its parent bag.
    const bags = wholeNumber(values, 'bags', 2_000_000, 31);
    const scans = wholeNumber(values, 'scans', 5_000_000);
    const samples = wholeNumber(values, 'samples', 3000);
    const flashSamples = wholeNumber(values, 'flash-samples', 200);
    const runDir = join(tmpdir(), 'baglink-bench', `run-${process.pid}`);
    const seedStart = performance.now();
    const { seeded } = await seededCopy(bags, scans, runDir, io.err);
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const station = createStation({ dataDir: runDir });
    let closed = false;
    try {
      const floor = measureFloor(station, samples);
      await station.login({ username: 'ravi', password: 'demo-password' });
      const scan = await measureScans(station, samples);
      const serial = await measureSerial(station, Math.min(samples, 1000), 1000);
      // The scenario attaches a scale and a printer, then puts the settings back.
      const hardware = await measureScansWithHardware(station, {
        floorP99Ms: floor.perScanCommitMs.p99,
        log: io.err,
      });
      const lookup = await measureLookups(station, Math.max(samples, 5000));
      const login = await measureLogins(station, 20);
      await station.login({ username: 'meena', password: 'demo-password' });
      const dashboard = await measureDashboard(station, 200);
      const stationProcess = await measureStationRss(runDir, station.ctx.sqlite, 2000, 300);
      // After the figures above: it adds a 15,000-child bill to the database.
      const scanDuringExport = await measureScansDuringExport(station, {
        floorP99Ms: floor.perScanCommitMs.p99,
      });
      station.close();
      closed = true;
      const startup = measureStartup(runDir);
      const report = {
        bench: 'station-core',
        at: new Date().toISOString(),
        node: process.version,
        database: {
          bags,
          scans,
          seededNow: seeded !== null,
          seedOrCopySeconds: Math.round(seedSeconds * 10) / 10,
          seed: seeded,
        },
        floor,
        scan: {
          ...scan,
          p99VsFloorP99: Math.round((scan.childMs.p99 / floor.perScanCommitMs.p99) * 100) / 100,
        },
        serial,
        hardware,
        lookup,
        dashboard,
        login,
        scanDuringExport,
        startup,
        flash: await measureFlashIfPossible(flashSamples, io.err),
        exports: await measureExports(),
        memory: { benchProcessRssMb: Math.round(process.memoryUsage().rss / 1048576), stationProcess },
        budgets: {
          scanP99: '<= 3x floor per-scan commit p99',
          scanP99DuringExport: '<= 3x floor per-scan commit p99',
          scanP99WithHardware: '<= 3x floor per-scan commit p99',
          scansPerSecond: '>= 1000',
          lookupP99Ms: 0.5,
          dashboardMs: 5,
          loginP95Ms: 500,
          eventLoopBlockedMs: 50,
          stationRssMb: 250,
        },
      };
      const json = JSON.stringify(report, null, 2);
      io.out(json);
      const out = (values.out as string | undefined) ?? join('bench-results', `core-${Date.now()}.json`);
      mkdirSync(join(out, '..'), { recursive: true });
      writeFileSync(out, `${json}\n`);
      return 0;
    } finally {
      if (!closed) station.close();
      rmSync(runDir, { recursive: true, force: true });
    }
  },
};
