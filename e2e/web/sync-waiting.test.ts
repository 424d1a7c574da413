import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCentralDb, type CentralDb } from '../../src-main/central/scratch-db.ts';
import { child } from '../../src-main/testing/test-station.ts';
import { joinedStation, type SyncedStation } from '../../src-main/sync/testing/stations.ts';
import { baglink, serve, token, type Served } from '../../src-main/bench/serve-process.ts';
import { launchChromium } from '../../src-main/bench/chromium.ts';
import { screenshot, seriousViolations } from './browser.ts';
import { ensureRendererBuilt } from '../../src-main/api/renderer-build.ts';

const wait = { timeout: 30_000, interval: 100 };

/**
 * The header's sync chip of a real `baglink serve` station joined to a real centre: while IT's transaction at the
 * centre holds another station's changes back, it says "waiting for the centre (N s)" (English and Hindi) instead
 * of "Synced", and "Synced" again once the transaction ends and the changes arrive.
 */
describe('the sync chip while the centre holds the pull horizon back', () => {
  let db: CentralDb;
  let dataDir: string;
  let served: Served;
  let other: SyncedStation;
  let browser: Browser;
  let page: Page;
  const previousInterval = process.env.BAGLINK_SYNC_INTERVAL_MS;

  beforeAll(async () => {
    await ensureRendererBuilt();
    process.env.BAGLINK_SYNC_INTERVAL_MS = '300';
    db = await createCentralDb();
    dataDir = mkdtempSync(join(tmpdir(), 'baglink-web-waiting-'));
    const added = baglink(
      ['user', 'add', '--data-dir', dataDir, '--username', 'admin', '--role', 'admin', '--password-stdin'],
      'admin-password-1\n',
    );
    expect(added.code, added.stderr).toBe(0);
    const enrol = baglink([
      'central',
      'add-station',
      '--url',
      db.adminUrl,
      '--name',
      'Dock A',
      '--area',
      'NORTH',
      '--insecure',
      '--json',
    ]);
    expect(enrol.code, enrol.stderr).toBe(0);
    const lineFile = join(dataDir, 'enrolment.txt');
    writeFileSync(lineFile, (JSON.parse(enrol.stdout) as { enrolment: string }).enrolment, { mode: 0o600 });
    const joined = baglink(['join', '--data-dir', dataDir, '--enrolment-file', lineFile, '--insecure']);
    expect(joined.code, joined.stderr).toBe(0);
    rmSync(lineFile);
    other = await joinedStation(db, 'Dock B');
    await other.addUser('bob', 'supervisor');
    await other.login('bob');
    await other.engine.cycle();
    served = await serve(dataDir, ['--only-configured']);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${served.url}/#token=${token}`);
    await page.getByRole('button', { name: /Username \+ password/ }).click();
    await page.locator('input[name="username"]').fill('admin');
    await page.locator('input[name="password"]').fill('admin-password-1');
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('screen-scan').waitFor();
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await served?.stop();
    other?.dispose();
    await db?.drop().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
    if (previousInterval === undefined) delete process.env.BAGLINK_SYNC_INTERVAL_MS;
    else process.env.BAGLINK_SYNC_INTERVAL_MS = previousInterval;
  });

  it('says "waiting for the centre (N s)" in English and Hindi, then "Synced" once the transaction ends', async () => {
    const chip = page.getByTestId('sync-pill');
    const chipText = () => expect.poll(async () => (await chip.textContent()) ?? '', wait);
    await chipText().toMatch(/^Synced/);

    const holder = new pg.Client({ connectionString: db.adminUrl, application_name: 'IT psql' });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select txid_current()');
      await other.scan('SB00009');
      await other.scan(child(9));
      await other.engine.cycle();
      await chipText().toMatch(/^Waiting for the centre \(\d+ s\)/);
      await screenshot(page, 'sync-waiting-chip-en');
      const status = (await served.call('sync.status')).value as { waitingForCentre: { seconds: number } };
      expect(status.waitingForCentre.seconds).toBeGreaterThanOrEqual(5);
      await page.locator('.header [data-lang="hi"]').click();
      await chipText().toMatch(/^केंद्र की प्रतीक्षा \(\d+ से\.\)/);
      await screenshot(page, 'sync-waiting-chip-hi');
      expect(await seriousViolations(page)).toEqual([]);
      await page.locator('.header [data-lang="en"]').click();
    } finally {
      await holder.query('commit');
      await holder.end();
    }
    await chipText().toMatch(/^Synced/);
    const status = (await served.call('sync.status')).value as { waitingForCentre: unknown };
    expect(status.waitingForCentre).toBeNull();
  });
});
