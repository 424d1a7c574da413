/**
 * Adversarial review of issue 12 (i12-break): one station's login starves the shared PgBouncer pool. PgBouncer's
 * idle_transaction_timeout cuts each idle transaction, but the attacker (any station: every station has the
 * pooled login's password) reconnects at once, and enough clients in rotation hold every server connection all
 * the time; every other station waits in PgBouncer's queue until query_timeout and fails. Measured by hand with
 * the product's defaults (10 s / 60 s) and 3 server connections: 30 such clients made station B's hello fail
 * with "query_timeout" after 60 s, three times out of three; with 19 server connections about 190 clients (of
 * max_client_conn 2000) do the same. This test FAILS on the code it was written against. HIGH (availability:
 * the whole fleet stops syncing while it lasts; nothing at the centre names the station doing it).
 * Fixed (i12-fix) by statement pooling: a sync call is one statement, so PgBouncer refuses the attacker's BEGIN
 * and nothing holds a server connection between statements. What remains (expensive statements in rotation,
 * each cut at query_timeout) is written in README, "What one station can still do to the others' sync".
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStation, type Enrolment } from './enrol.ts';
import { startPooledCentre, type PooledCentre } from './testing/pooled-centre.ts';

let centre: PooledCentre;
let b: Enrolment;

beforeAll(async () => {
  // The product's bounds, scaled down so the test is short: a 2 s idle transaction, a 6 s query.
  centre = await startPooledCentre({
    serverConnections: 2,
    idleTransactionTimeoutSeconds: 2,
    queryTimeoutSeconds: 6,
  });
  b = await addStation({
    adminUrl: centre.db.adminUrl,
    name: 'Dock B',
    dispatchArea: 'NORTH',
    stationUrlBase: centre.bouncer.base,
  });
}, 120_000);

afterAll(() => centre?.stop());

/** One attacker client: an idle transaction held just under idle_transaction_timeout, again and again. */
async function hog(url: string, running: () => boolean): Promise<void> {
  while (running()) {
    const client = new pg.Client({ connectionString: url });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('begin');
      await client.query('select 1');
      await new Promise((r) => setTimeout(r, 1900));
      await client.query('rollback');
    } catch {
      // cut by PgBouncer: come straight back
    }
    await client.end().catch(() => undefined);
  }
}

describe('the shared pool (issue 12, adversarial)', () => {
  it("one station's login holding idle transactions in rotation does not stop another station's sync", async () => {
    let running = true;
    const hogs = Array.from({ length: 12 }, () => hog(centre.bouncer.url, () => running));
    try {
      // Let the attackers take the server connections first.
      await new Promise((r) => setTimeout(r, 500));
      const hello = centre.asStation((client) =>
        client.query<{ r: { protocol?: number } }>('select sync.hello($1, $2, 2, 1, 0, null) as r', [
          b.stationId,
          b.secret,
        ]),
      );
      await expect(hello.then((r) => r.rows[0]!.r.protocol)).resolves.toBe(2);
    } finally {
      running = false;
      await Promise.all(hogs);
    }
  }, 60_000);
});
