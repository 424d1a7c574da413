/**
 * The pull horizon seen from a station (issue 12): a long transaction at the centre (IT's `BEGIN; SELECT
 * txid_current();` left idle) holds newer changes back from every station's pull. The station's status, the
 * header's chip (status.preLogin) and `baglink status` then say "waiting for the centre (N s)" instead of looking
 * idle, and go back once the transaction ends. Real PostgreSQL, two stations, the centre's own clock.
 */
import { Readable } from 'node:stream';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBaglink } from '../testing/cli.ts';
import { child } from '../testing/test-station.ts';
import { localState, syncAll, twoStations, type TwoStations } from './testing/stations.ts';

async function statusText(dataDir: string): Promise<string> {
  const out: string[] = [];
  const code = await runBaglink(['status', '--data-dir', dataDir], {
    out: (l) => out.push(l),
    err: (l) => out.push(l),
    stdin: Readable.from(['']),
  });
  expect(code).toBe(0);
  return out.join('\n');
}

describe('a station waiting for the centre’s pull horizon', () => {
  let t: TwoStations;
  let holder: pg.Client;

  beforeAll(async () => {
    t = await twoStations();
    await t.a.scan('SB00001');
    await syncAll([t.a, t.b]);
  }, 60_000);
  afterAll(async () => {
    await holder?.end().catch(() => undefined);
    await t?.dispose();
  });

  /** How long the held transaction has run, by the centre's clock. */
  async function heldSeconds(): Promise<number> {
    const [r] = await t.db.query<{ s: number }>(
      `select extract(epoch from now() - xact_start)::float8 as s from pg_stat_activity where pid = $1`,
      [(holder as unknown as { processID: number }).processID],
    );
    return r?.s ?? 0;
  }

  it('says "waiting for the centre" with the lag while IT’s transaction holds the horizon, then idle again', async () => {
    const { a, b } = t;
    holder = new pg.Client({ connectionString: t.db.adminUrl, application_name: 'IT psql' });
    await holder.connect();
    await holder.query('begin');
    await holder.query('select txid_current()');

    // Its own pushes wait behind the horizon too, but it has them: that is not waiting.
    await a.scan(child(1));
    await a.engine.cycle();
    for (let i = 0; i < 200 && (await heldSeconds()) < 6; i++) await new Promise((r) => setTimeout(r, 50));
    expect(await heldSeconds()).toBeGreaterThanOrEqual(6);
    await a.engine.cycle();
    expect(a.station.status().sync.waitingForCentre).toBeNull();

    // Another station's scan is committed at the centre but held back from A's pull.
    await b.scan('SB00002');
    await b.scan(child(2));
    await b.engine.cycle();
    await a.engine.cycle();
    const waiting = a.station.status().sync.waitingForCentre;
    expect(waiting).not.toBeNull();
    expect(waiting!.seconds).toBeGreaterThanOrEqual(6);
    expect(waiting!.xids).toBeGreaterThan(0);
    expect(localState(a.station.ctx.sqlite).links).not.toContain(`${child(2)}>SB00002`);
    expect(a.station.preLogin().sync.waitingSeconds).toBe(waiting!.seconds);
    expect(await statusText(a.dir)).toMatch(/waiting for the centre \(\d+ s\)/);

    await holder.query('commit');
    await a.engine.cycle();
    expect(a.station.status().sync.waitingForCentre).toBeNull();
    expect(a.station.preLogin().sync.waitingSeconds).toBeNull();
    expect(localState(a.station.ctx.sqlite).links).toContain(`${child(2)}>SB00002`);
    expect(await statusText(a.dir)).not.toContain('waiting for the centre');
  }, 60_000);
});
