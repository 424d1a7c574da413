/**
 * Adversarial review of the enrolment cache (issue 15: `join` runs as a separate process while the station
 * serves). A station that was serving before its first join sees the enrolment in its status at once, but its
 * sync worker was never started (start() ran once, at start-up, when there was no enrolment): the state stays
 * "stopped", sync.now answers ok and kicks nothing, and the outbox never leaves until the station restarts.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStation } from '../central/enrol.ts';
import { createCentralDb, type CentralDb } from '../central/scratch-db.ts';
import { createTestStation, type TestStation } from '../testing/test-station.ts';
import { saveEnrolment } from './config.ts';

let db: CentralDb;
let ts: TestStation;

beforeEach(async () => {
  db = await createCentralDb();
  ts = createTestStation();
  await ts.addUser('admin', 'admin');
  await ts.login('admin');
});

afterEach(async () => {
  await ts.station.stopSync();
  ts.dispose();
  await db.drop();
});

interface Status {
  state: string;
  central: string | null;
  outbox: { depth: number };
}

describe('a station serving before its first join', () => {
  it('sends its outbox once `join` has written the enrolment, without a restart', async () => {
    // As `baglink serve` does at start-up: run the sync if the station has joined (it has not yet).
    expect(ts.station.sync.start({ intervalMs: 100 })).toBe(false);
    await ts.scan('SB00001');
    await ts.scan('CH000001');

    // `baglink join`, another process, writes central.json while the station serves.
    const enrolment = await addStation({
      adminUrl: db.adminUrl,
      name: 'Dock A',
      dispatchArea: 'MAIN',
      insecure: true,
    });
    saveEnrolment(ts.dir, enrolment);

    const seen = await ts.call<Status>('sync.status', {});
    expect(seen.central).not.toBeNull();
    await ts.call('sync.now', {});
    await expect
      .poll(async () => (await ts.call<Status>('sync.status', {})).outbox.depth, {
        timeout: 20_000,
        interval: 200,
      })
      .toBe(0);
  });

  it('(control) sends its outbox when it had joined before it started', async () => {
    await ts.scan('SB00001');
    await ts.scan('CH000001');
    const enrolment = await addStation({
      adminUrl: db.adminUrl,
      name: 'Dock A',
      dispatchArea: 'MAIN',
      insecure: true,
    });
    saveEnrolment(ts.dir, enrolment);
    expect(ts.station.sync.start({ intervalMs: 100 })).toBe(true);
    await expect
      .poll(async () => (await ts.call<Status>('sync.status', {})).outbox.depth, {
        timeout: 20_000,
        interval: 200,
      })
      .toBe(0);
  });
});
