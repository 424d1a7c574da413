/**
 * The station follows central.json while it serves: a damaged file is a clear state (the catalogue's
 * sentence, never the file's text, scanning goes on), and a removed enrolment stops the sync worker.
 */
import { rmSync, writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { addStation } from '../central/enrol.ts';
import { createCentralDb, type CentralDb } from '../central/scratch-db.ts';
import { formatError } from '../../src-shared/errors.ts';
import { createTestStation, type TestStation } from '../testing/test-station.ts';
import { enrolmentPath, saveEnrolment } from './config.ts';

let ts: TestStation;

interface Status {
  state: string;
  central: string | null;
  lastError: string | null;
  outbox: { depth: number };
}

const syncStatus = () => ts.call<Status>('sync.status', {});

describe('a damaged central.json', () => {
  beforeEach(async () => {
    ts = createTestStation();
    await ts.addUser('admin', 'admin');
    await ts.login('admin');
  });
  afterEach(() => ts.dispose());

  it('reads as not joined, says to join again, and scanning goes on', async () => {
    writeFileSync(enrolmentPath(ts.dir), '{"url": "postgres://secret-text@x/y"', { mode: 0o600 });
    const status = await syncStatus();
    expect(status.state).toBe('not_enrolled');
    expect(status.central).toBeNull();
    expect(status.lastError).toBe(formatError('enrolment_damaged'));
    expect(JSON.stringify(await ts.api.dispatch('status.preLogin', {}))).not.toContain('secret-text');
    expect(await ts.refusal('sync.now', {})).toBe('not_enrolled');
    await ts.scan('SB00001');
    await ts.scan('CH000001');
    expect((await syncStatus()).outbox.depth).toBe(2);
  });
});

describe('an enrolment removed while the station serves', () => {
  let db: CentralDb;
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

  it('stops the sync worker: not joined, and nothing more is pushed', async () => {
    saveEnrolment(
      ts.dir,
      await addStation({ adminUrl: db.adminUrl, name: 'Dock A', dispatchArea: 'MAIN', insecure: true }),
    );
    expect(ts.station.sync.start({ intervalMs: 100 })).toBe(true);
    await ts.scan('SB00001');
    await expect
      .poll(async () => (await syncStatus()).outbox.depth, { timeout: 20_000, interval: 200 })
      .toBe(0);

    rmSync(enrolmentPath(ts.dir));
    expect((await syncStatus()).state).toBe('not_enrolled');
    await ts.scan('CH000001');
    // The worker, were it running, would send this within its 100 ms interval; give it many turns.
    for (let i = 0; i < 10; i++) await new Promise((resolve) => setTimeout(resolve, 100));
    expect((await syncStatus()).outbox.depth).toBe(1);
  });
});
