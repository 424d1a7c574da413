import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { createDispatcher } from '../api/dispatch.ts';
import type { Station } from '../app/station.ts';
import { startStationHardware } from '../app/station-hardware.ts';
import { startScaleSim } from '../scale/sim.ts';
import { startPtyPair, stopAllPtyPairs } from '../scanner/pty-pair.ts';
import { round, summarize } from './stats.ts';
import { startZplListener } from './zpl-listener.ts';

export interface HardwareBenchOptions {
  /** The bare floor's per-scan commit p99 of the same run (core-bench.ts measureFloor). */
  floorP99Ms: number;
  /** Parents completed in each half (each is a parent scan and a full parent's children). */
  parents?: number;
  /** The worker's pause between parents: long enough for the scale to show the empty platform. */
  pauseMs?: number;
  log?: (line: string) => void;
}

/**
 * Child scans one after another, parent by parent, each parent filled to its capacity (so the last child
 * completes it), with codes no seed uses. `between` runs after each parent: the bench's bag going onto the scale.
 */
async function fillParents(
  station: Station,
  prefix: string,
  parents: number,
  between: (parent: number) => Promise<void>,
): Promise<number[]> {
  const api = createDispatcher(station);
  const capacity = station.ctx.profile.parentCapacity;
  const latency: number[] = [];
  // New parents after the highest one the seed (and the other measurements) used.
  const max = station.ctx.sqlite
    .prepare(`select max(code) as code from bags where code like 'M444-%'`)
    .get() as { code: string | null };
  const first = max.code ? Number(max.code.slice(5)) + 1 : 0;
  for (let p = 0; p < parents; p++) {
    const code = `M444-${String(first + p).padStart(5, '0')}`;
    const parent = await api.dispatch('scan.submit', { code });
    if (!parent.ok) throw new Error(`hardware bench: parent scan: ${parent.error.message}`);
    for (let c = 0; c < capacity; c++) {
      const t0 = performance.now();
      const r = await api.dispatch('scan.submit', {
        code: `HW${prefix}${p.toString(36).toUpperCase()}X${c}`,
      });
      latency.push(performance.now() - t0);
      if (!r.ok) throw new Error(`hardware bench scan: ${r.error.message}`);
    }
    await between(p);
  }
  return latency;
}

/**
 * "Completing parents with a scale and a printer attached": child scan latency while every parent that fills is
 * weighed (MT-SICS scale-sim on a socat pty pair) and its label printed (a ZPL listener on 127.0.0.1 answering
 * ~HS), next to the same scans with no hardware attached, both against the floor's per-scan commit p99. The
 * weighing and the print queue run behind the scan path, so the p99 should stay within its budget (3x floor).
 * An operator must be logged in; the devices are set as the console would (no admin needed) and the station's
 * hardware settings are put back afterwards.
 */
export async function measureScansWithHardware(station: Station, o: HardwareBenchOptions) {
  const log = o.log ?? (() => {});
  const parents = o.parents ?? 20;
  const pauseMs = o.pauseMs ?? 400;
  const actor = station.session.operator();
  const dir = mkdtempSync(join(tmpdir(), 'baglink-hw-bench-'));
  const printer = await startZplListener();
  const pair = await startPtyPair(dir);
  const scale = await startScaleSim({
    port: pair.scanner,
    protocol: 'sics',
    kg: 0.3,
    unstableMs: 0,
    overload: false,
    unit: 'kg',
  });
  const hardware = startStationHardware(station, { log });
  const settingsBefore = station.hardware.get(actor);
  // How each weighing ended (recorded, off, refused, later): the scenario weighs every bag it completes.
  const weighings: Record<string, number> = {};
  const unsubscribe = station.subscribe((event, payload) => {
    const { phase } = payload as { phase: string };
    if (event === 'onWeighing' && phase !== 'waiting') weighings[phase] = (weighings[phase] ?? 0) + 1;
  });
  try {
    log('hardware bench: the same scans with no hardware attached');
    const bare = summarize(await fillParents(station, 'B', parents, () => sleep(pauseMs)));

    await hardware.control.configure({
      scale: { path: pair.station, name: 'bench scale', protocol: 'sics', pollMs: 100 },
      printer: {
        connection: { kind: 'tcp', host: '127.0.0.1', port: printer.port },
        layout: '100x150mm',
        dpi: 203,
      },
    });
    const ready = Date.now() + 15_000;
    while (station.hardware.state(actor).scale?.state !== 'ready' && Date.now() < ready) await sleep(50);
    log(`hardware bench: ${parents} parents completed with the scale and the printer attached`);
    const capacity = station.ctx.profile.parentCapacity;
    const expectedKg = station.ctx.profile.parentTareKg + capacity * station.ctx.profile.childWeightKg;
    const withHardware = summarize(
      await fillParents(station, 'H', parents, async () => {
        // The full bag goes on the scale (wobbling a moment), is weighed, and is taken off before the next one.
        scale.set({ kg: expectedKg, unstableMs: 150 });
        await sleep(pauseMs);
        scale.set({ kg: 0.3, unstableMs: 0 });
        await sleep(pauseMs / 2);
      }),
    );
    const labelsBy = Date.now() + 15_000;
    while (printer.labels() < parents && Date.now() < labelsBy) await sleep(50);
    return {
      scenario: 'completing parents with a scale and a printer attached',
      parents,
      childrenPerParent: capacity,
      childScanMsBare: bare,
      childScanMsWithHardware: withHardware,
      p99VsFloorP99: round(withHardware.p99 / o.floorP99Ms),
      bareP99VsFloorP99: round(bare.p99 / o.floorP99Ms),
      weighings,
      labelsPrinted: printer.labels(),
    };
  } finally {
    unsubscribe();
    await hardware.control.configure({
      scale: settingsBefore.scale,
      printer: settingsBefore.printer,
    });
    await hardware.stop();
    await scale.stop();
    await stopAllPtyPairs();
    await printer.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
