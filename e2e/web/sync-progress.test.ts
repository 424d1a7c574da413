import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCentre } from '../../src-main/bench/central-bench.ts';
import { createCentralDb, type CentralDb } from '../../src-main/central/scratch-db.ts';
import { en } from '../../src-renderer/i18n/en.ts';
import { hi } from '../../src-renderer/i18n/hi.ts';
import { baglink, serve, token, type Served } from '../../src-main/bench/serve-process.ts';
import { launchChromium } from '../../src-main/bench/chromium.ts';
import { screenshot, seriousViolations } from './browser.ts';
import { ensureRendererBuilt } from '../../src-main/api/renderer-build.ts';

const wait = { timeout: 60_000, interval: 50 };
const BAGS = 6_000;

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{(\w+)\}/g, (_, k: string) => values[k] ?? '');

/**
 * A new station's first load from a real centre, seen in the screens: with 100-row snapshot pages, the centre's
 * 6,000 bags and their links take many pages. The centre's links table is held locked by IT's connection while
 * the test looks, so the load waits at its links (what it waits for is on screen) and cannot end before the
 * header, Settings and both languages are checked; once released, the load ends and the progress goes away.
 */
describe('the first load from the centre shows its progress', () => {
  let db: CentralDb;
  let dataDir: string;
  let served: Served;
  let browser: Browser;
  let page: Page;
  let lock: pg.Client | null = null;
  let linksTotal = '';
  const previousPageRows = process.env.BAGLINK_SNAPSHOT_PAGE_ROWS;

  beforeAll(async () => {
    await ensureRendererBuilt();
    process.env.BAGLINK_SNAPSHOT_PAGE_ROWS = '100';
    db = await createCentralDb();
    await loadCentre(db, BAGS);
    // The centre's estimate the station shows as the total (reltuples, exact after loadCentre's analyse).
    const [est] = await db.query<{ n: string }>(
      `select reltuples::bigint::text as n from pg_class where oid = 'public.links'::regclass`,
    );
    linksTotal = est!.n;

    dataDir = mkdtempSync(join(tmpdir(), 'baglink-web-progress-'));
    const added = baglink(
      ['user', 'add', '--data-dir', dataDir, '--username', 'ana', '--role', 'admin', '--password-stdin'],
      'a-long-password\n',
    );
    expect(added.code, added.stderr).toBe(0);
    const station = baglink([
      ...['central', 'add-station', '--url', db.adminUrl, '--name', 'Dock P', '--area', 'MAIN'],
      ...['--insecure', '--json'],
    ]);
    expect(station.code, station.stderr).toBe(0);
    const { enrolment } = JSON.parse(station.stdout) as { enrolment: string };
    const lineFile = join(dataDir, 'enrolment.txt');
    writeFileSync(lineFile, enrolment, { mode: 0o600 });
    const joined = baglink(['join', '--data-dir', dataDir, '--enrolment-file', lineFile, '--insecure']);
    rmSync(lineFile);
    expect(joined.code, joined.stderr).toBe(0);

    lock = new pg.Client({ connectionString: db.adminUrl });
    await lock.connect();
    await lock.query('begin');
    await lock.query('lock table links in access exclusive mode');

    served = await serve(dataDir, ['--only-configured']);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    await page.goto(`${served.url}/#token=${token}`);
  }, 180_000);

  afterAll(async () => {
    await lock?.query('rollback').catch(() => undefined);
    await lock?.end().catch(() => undefined);
    await browser?.close().catch(() => undefined);
    await served?.stop();
    await db?.drop().catch(() => undefined);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (previousPageRows === undefined) delete process.env.BAGLINK_SNAPSHOT_PAGE_ROWS;
    else process.env.BAGLINK_SNAPSHOT_PAGE_ROWS = previousPageRows;
  });

  const text = async (testId: string) => (await page.getByTestId(testId).first().textContent()) ?? '';

  it('the header says what is loading and how far, in English and in Hindi', async () => {
    const values = { done: '0', total: linksTotal };
    const english = fill(en.syncProgress.loadingOf, { ...values, what: en.syncProgress.entities.links });
    await expect.poll(() => text('sync-progress'), wait).toBe(english);
    // The bags are in by now: the load went page by page up to the links the centre holds back.
    const local = new Database(join(dataDir, 'station.db'), { readonly: true });
    const bags = (local.prepare('select count(*) as n from bags').get() as { n: number }).n;
    local.close();
    expect(bags).toBe(BAGS);
    await screenshot(page, 'sync-progress-header-en');

    await page.locator('.header [data-lang="hi"]').click();
    const hindi = fill(hi.syncProgress.loadingOf, { ...values, what: hi.syncProgress.entities.links });
    await expect.poll(() => text('sync-progress'), wait).toBe(hindi);
    await screenshot(page, 'sync-progress-header-hi');
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('.header [data-lang="en"]').click();
  });

  it('Settings shows the same, with a bar', async () => {
    await page.getByRole('button', { name: /Username \+ password/ }).click();
    await page.locator('input[name="username"]').fill('ana');
    await page.locator('input[name="password"]').fill('a-long-password');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-screen="settings"]').click();
    await page.getByTestId('screen-settings').waitFor();
    await expect
      .poll(() => text('settings-sync-progress'), wait)
      .toBe(
        fill(en.syncProgress.loadingOf, {
          done: '0',
          total: linksTotal,
          what: en.syncProgress.entities.links,
        }),
      );
    expect(await page.locator('#sync-progress').getAttribute('value')).toBe('0');
    await screenshot(page, 'sync-progress-settings-en');
  });

  it('goes away when the load is done', async () => {
    await lock!.query('commit');
    await lock!.end();
    lock = null;
    await expect.poll(() => page.getByTestId('sync-progress').count(), wait).toBe(0);
    await expect.poll(() => page.getByTestId('settings-sync-progress').count(), wait).toBe(0);
    await expect.poll(() => text('sync-pill'), wait).toContain(en.sync.idle);
    await screenshot(page, 'sync-progress-done-en');
    const local = new Database(join(dataDir, 'station.db'), { readonly: true });
    const links = (local.prepare('select count(*) as n from links').get() as { n: number }).n;
    local.close();
    expect(String(links)).toBe(linksTotal);
  });
});
