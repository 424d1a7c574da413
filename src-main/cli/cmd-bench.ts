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
import { measureSerial } from '../bench/serial-bench.ts';
import { defaultBatchLimits } from '../sync/push.ts';
import { measureStationRss } from '../bench/station-rss.ts';
import { seededCopy } from '../bench/template.ts';
import { createStation } from '../core/station.ts';
import type { Command, CommandContext } from './command.ts';

/** Scan to flash painted in Chromium; loaded on demand so playwright stays out of every other command. */
async function measureFlashIfPossible(samples: number, log: (line: string) => void) {
  try {
    const { measureFlash } = await import('../bench/flash-bench.ts');
    return await measureFlash({ samples, log });
  } catch (e) {
    return { skipped: e instanceof Error ? e.message : String(e) };
  }
}

export const benchCommand: Command = {
  summary:
    'Measures scan.submit (commit included), bags.lookup and stats.dashboard on a station seeded to N bags and M scans, ' +
    'next to the bare SQLite floor in the same run. Prints JSON; never fails on a time.',
  usage:
    'baglink bench [--bags 2000000] [--scans 5000000] [--samples 3000] [--out FILE] | baglink bench --central private|URL [--stations 200] [--scans 1000] [--batch 500] [--catch-up 100000] [--bootstrap-bags 2000000] [--rounds 3] [--steady-seconds 60] [--steady-interval-ms 5000] [--steady-scans 3] [--direct 1] [--tls 1]',
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
        stations: Number(values.stations ?? 200),
        scansPerStation: Number(values.scans ?? 1000),
        batch: Number(values.batch ?? defaultBatchLimits.maxOps),
        catchUpScans: Number(values['catch-up'] ?? 100_000),
        bootstrapBags: Number(values['bootstrap-bags'] ?? 2_000_000),
        rounds: Number(values.rounds ?? 3),
        steadySeconds: Number(values['steady-seconds'] ?? 60),
        steadyIntervalMs: Number(values['steady-interval-ms'] ?? 5000),
        steadyScans: Number(values['steady-scans'] ?? 3),
        direct: values.direct !== '0',
        tls: values.tls !== '0',
        log: io.err,
      });
      io.out(JSON.stringify(report, null, 2));
      if (values.out) writeFileSync(values.out as string, JSON.stringify(report, null, 2));
      return 0;
    }
    const bags = Number(values.bags ?? 2_000_000);
    const scans = Number(values.scans ?? 5_000_000);
    const samples = Number(values.samples ?? 3000);
    const runDir = join(tmpdir(), 'baglink-bench', `run-${process.pid}`);
    const seedStart = performance.now();
    const { seeded } = await seededCopy(bags, scans, runDir, io.err);
    const seedSeconds = (performance.now() - seedStart) / 1000;

    const station = createStation({ dataDir: runDir });
    try {
      const floor = measureFloor(station, samples);
      await station.login({ username: 'ravi', password: 'demo-password' });
      const scan = await measureScans(station, samples);
      const serial = await measureSerial(station, Math.min(samples, 1000), 1000);
      const lookup = await measureLookups(station, Math.max(samples, 5000));
      const login = await measureLogins(station, 20);
      await station.login({ username: 'meena', password: 'demo-password' });
      const dashboard = await measureDashboard(station, 200);
      const stationProcess = await measureStationRss(runDir, station.ctx.sqlite, 2000, 300);
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
        lookup,
        dashboard,
        login,
        flash: await measureFlashIfPossible(Number(values['flash-samples'] ?? 200), io.err),
        exports: await measureExports(),
        memory: { benchProcessRssMb: Math.round(process.memoryUsage().rss / 1048576), stationProcess },
        budgets: {
          scanP99: '<= 3x floor per-scan commit p99',
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
      station.close();
      rmSync(runDir, { recursive: true, force: true });
    }
  },
};
