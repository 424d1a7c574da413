/**
 * `baglink bench --central private` at a tiny size, as a real process: its own PostgreSQL cluster, a real
 * PgBouncer started from the product's config with TLS, the one pooled login. Checks the report's shape and that
 * nothing offered was lost (never a time: figures belong to the bench, not to a test).
 */
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../../bin/baglink.js', import.meta.url));

interface Ingest {
  scans: number;
  walBytesPerScan: number;
  rowsPerScan: Record<string, number>;
  errors: number;
  serverConnectionsMax: number;
  centre: { scans: number; lost: number; behind: number };
}

interface Report {
  catchUpAtOnce: {
    via: string;
    rounds: { copy: { scans: number; walBytesPerScan: number }; ingest: Ingest; ratio: number }[];
    medianRatioVsCopy: number;
    medianWalVsCopy: number;
  };
  steadyState: {
    pushes: { offered: number; done: number };
    errors: number;
    scans: { pushed: number; atCentre: number };
    serverConnectionsMax: number;
    stationConnects: number;
    backendsStarted: number;
    backendsStartedPerPush: number;
    pushMsAtStation: { p50: number; p95: number };
    pushMsAtStationAfterFirst: { p50: number; p95: number };
    pushMsInServer: { n: number; p50: number; p95: number };
    pgStatStatements: { calls: number; meanMs: number };
    loadAverage: { atStart: number[]; atEnd: number[]; max1m: number };
  };
  catchUp: { scans: number; pushed: number };
  bootstrap: { bags: number; local: { bags: number } };
}

describe('baglink bench --central private (tiny)', () => {
  it('runs COPY and catch-up rounds, a steady state and catch-up through PgBouncer, and loses nothing', async () => {
    const stations = 3;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        bin,
        'bench',
        '--central',
        'private',
        ...['--stations', String(stations), '--scans', '40', '--rounds', '3', '--direct', '0'],
        ...['--steady-seconds', '4', '--steady-interval-ms', '1000', '--steady-scans', '2'],
        ...['--catch-up', '50', '--bootstrap-bags', '200'],
      ],
      { maxBuffer: 16 * 1024 * 1024, timeout: 170_000 },
    );
    const r = JSON.parse(stdout) as Report;

    const c = r.catchUpAtOnce;
    expect(c.via).toMatch(/PgBouncer.*TLS/);
    expect(c.rounds).toHaveLength(3);
    for (const round of c.rounds) {
      expect(round.copy.scans).toBe(stations * 40);
      expect(round.ingest.centre).toMatchObject({ scans: stations * 40, lost: 0, behind: 0 });
      expect(round.ingest.errors).toBe(0);
      expect(round.ingest.serverConnectionsMax).toBeLessThanOrEqual(20);
      expect(round.ratio).toBeGreaterThan(0);
      // The centre's work per scan: a scan row and a bag each, no refusal (the actor is a user IT set).
      expect(round.ingest.rowsPerScan).toMatchObject({ scans: 1, bags: 1 });
      expect(round.ingest.rowsPerScan.refusals).toBeUndefined();
      expect(round.ingest.walBytesPerScan).toBeGreaterThan(0);
      expect(round.copy.walBytesPerScan).toBeGreaterThan(0);
    }
    expect(c.medianWalVsCopy).toBeGreaterThan(0);
    expect(c.medianRatioVsCopy).toBe([...c.rounds.map((x) => x.ratio)].sort((a, b) => a - b)[1]);

    const s = r.steadyState;
    expect(s.pushes.offered).toBeGreaterThanOrEqual(stations * 3);
    expect(s.pushes.done).toBe(s.pushes.offered);
    expect(s.errors).toBe(0);
    expect(s.scans).toEqual({ pushed: s.pushes.done * 2, atCentre: s.pushes.done * 2 });
    expect(s.serverConnectionsMax).toBeGreaterThanOrEqual(1);
    expect(s.serverConnectionsMax).toBeLessThanOrEqual(stations);
    // Warm pooled backends: at most one per server connection, however many pushes.
    expect(s.backendsStarted).toBeGreaterThanOrEqual(1);
    expect(s.backendsStarted).toBeLessThanOrEqual(s.serverConnectionsMax);
    expect(s.backendsStartedPerPush).toBeCloseTo(s.backendsStarted / s.pushes.done, 3);
    expect(s.pushMsAtStation.p95).toBeGreaterThan(0);
    expect(s.pushMsAtStationAfterFirst.p95).toBeGreaterThan(0);
    // Each station logged in to PgBouncer once and kept its connection between pushes.
    expect(s.stationConnects).toBe(stations);
    // Every push was seen inside the server, in its log and in pg_stat_statements.
    expect(s.pushMsInServer.n).toBe(s.pushes.done);
    expect(s.pgStatStatements.calls).toBe(s.pushes.done);
    expect(s.loadAverage.atStart).toHaveLength(3);
    expect(s.loadAverage.atEnd).toHaveLength(3);

    expect(r.catchUp).toMatchObject({ scans: 50, pushed: 50 });
    expect(r.bootstrap.local.bags).toBe(200);
  }, 180_000);
});
