import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fillBigBill } from '../export/bulk-fill.ts';
import { round, summarize } from './stats.ts';
import { createDispatcher } from '../api/dispatch.ts';
import type { Station } from '../app/station.ts';

const BILL_NO = 'BENCH-EXPORT-LOAD';

/** Timed scans one after another, parent then 29 children, in codes no seed uses, until `stop()` says so. */
async function scanUntil(
  station: Station,
  next: { parent: number },
  stop: () => boolean,
  minimum: number,
): Promise<number[]> {
  const api = createDispatcher(station);
  const latency: number[] = [];
  while (!stop() || latency.length < minimum) {
    const p = next.parent++;
    await api.dispatch('scan.submit', {
      code: `M444-9${String(p % 10_000).padStart(4, '0')}`,
      scanner: 'load',
    });
    for (let c = 0; c < 29; c++) {
      const t0 = performance.now();
      const r = await api.dispatch('scan.submit', {
        code: `EL${p.toString(36).toUpperCase()}X${c}`,
        scanner: 'load',
      });
      latency.push(performance.now() - t0);
      if (!r.ok) throw new Error(`export-load scan: ${r.error.message}`);
    }
  }
  return latency;
}

/**
 * Scan latency while the API exports a 500-parent (15,000-child) bill as XLSX, next to the same scans with no
 * export: the export is built in a worker thread, so the scans' p99 should stay within its budget (3x the
 * floor's per-scan commit p99). Also the longest the event loop was held up meanwhile. A logged-in operator
 * must be on the station.
 */
export async function measureScansDuringExport(
  station: Station,
  o: { parents?: number; floorP99Ms: number; baselineScans?: number },
) {
  const sqlite = station.ctx.sqlite;
  const user = sqlite.prepare(`select id from users order by role = 'admin' limit 1`).get() as { id: string };
  const parents = o.parents ?? 500;
  fillBigBill(sqlite, {
    billNo: BILL_NO,
    parents,
    childrenPerParent: 30,
    dockUserId: user.id,
    supervisorUserId: user.id,
    stationId: station.ctx.station.stationId,
    dispatchArea: station.ctx.station.dispatchArea,
    at: Date.now() - 86_400_000,
    codePrefix: 'XL',
  });
  const next = { parent: 0 };
  const baseline = summarize(await scanUntil(station, next, () => true, o.baselineScans ?? 600));

  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  let finished = false;
  const started = performance.now();
  const exported = station.exports.billFile('console', BILL_NO, 'xlsx').then((file) => {
    finished = true;
    return { ms: round(performance.now() - started), bytes: Buffer.byteLength(file.dataBase64, 'base64') };
  });
  const during = summarize(await scanUntil(station, next, () => finished, 30));
  const file = await exported;
  loop.disable();
  return {
    bill: { parents, children: parents * 30, format: 'xlsx' },
    exportMs: file.ms,
    exportBytes: file.bytes,
    scanMsWithoutExport: baseline,
    scanMsDuringExport: during,
    p99VsFloorP99: round(during.p99 / o.floorP99Ms),
    eventLoopDelayMs: { p99: round(loop.percentile(99) / 1e6), max: round(loop.max / 1e6) },
  };
}
