import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Station } from '../app/station.ts';
import type { ScanResult } from '../../src-shared/domain.ts';
import { startStationScanners } from '../app/station-scanners.ts';
import { startPtyPair, stopAllPtyPairs } from '../scanner/pty-pair.ts';
import { summarize } from './stats.ts';

/**
 * A real serial path: codes written into one end of a socat pty pair, read by the scanner hub on the other,
 * through scan.submit to the onScanResult event. The operator must be logged in already.
 */
export async function measureSerial(station: Station, samples: number, burstSize: number) {
  const dir = mkdtempSync(join(tmpdir(), 'baglink-serial-bench-'));
  const pty = await startPtyPair(dir);
  const scanners = await startStationScanners(station, { extraPaths: [pty.station], discover: false });
  const wire = createWriteStream(pty.scanner);
  const waiting = new Map<string, (r: ScanResult) => void>();
  const unsubscribe = station.subscribe((event, payload) => {
    if (event !== 'onScanResult') return;
    const result = payload as ScanResult;
    waiting.get(result.code)?.(result);
    waiting.delete(result.code);
  });
  const send = (code: string) =>
    new Promise<ScanResult>((resolve) => {
      waiting.set(code, resolve);
      wire.write(`${code}\r\n`);
    });
  try {
    while (!scanners.hub.list().some((s) => s.state === 'ready')) await new Promise((r) => setTimeout(r, 20));
    const free = station.ctx.sqlite
      .prepare(`select max(code) as code from bags where code like 'SB%'`)
      .get() as {
      code: string | null;
    };
    let next = free.code ? Number(free.code.slice(2)) + 1 : 0;
    const parentCode = () => `SB${String(next++).padStart(5, '0')}`;

    const latency: number[] = [];
    for (let i = 0; i < samples; i++) {
      if (i % 30 === 0) await send(parentCode());
      const t0 = performance.now();
      const r = await send(`SR${next.toString(36).toUpperCase()}Y${i % 30}`);
      latency.push(performance.now() - t0);
      if (r.outcome !== 'linked' && r.outcome !== 'parent_full')
        throw new Error(`serial bench read: ${r.message}`);
    }

    // A burst at full speed into one port: parents and children back to back, none waited for.
    const codes: string[] = [];
    for (let i = 0; i < burstSize; i++) codes.push(i % 31 === 0 ? parentCode() : `SB${next}Z${i % 31}`);
    const done = Promise.all(
      codes.map((code) => new Promise<ScanResult>((resolve) => waiting.set(code, resolve))),
    );
    const burstStart = performance.now();
    wire.write(codes.map((c) => `${c}\r\n`).join(''));
    const results = await done;
    const burstMs = performance.now() - burstStart;
    return {
      what: 'pty write -> serial read -> scan.submit committed -> onScanResult, one port, 2 ms apart or back to back',
      childMs: summarize(latency),
      burst: {
        scans: codes.length,
        ms: Math.round(burstMs),
        perSecond: Math.round((codes.length / burstMs) * 1000),
        rejected: results.filter((r) => r.outcome === 'rejected').length,
      },
    };
  } finally {
    unsubscribe();
    wire.destroy();
    await scanners.stop();
    station.attachScanners(null);
    await stopAllPtyPairs();
    rmSync(dir, { recursive: true, force: true });
  }
}
