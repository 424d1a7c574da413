import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatError } from '../../src-shared/errors.ts';
import { hiErrors } from '../../src-renderer/i18n/hi-errors.ts';
import { hi } from '../../src-renderer/i18n/hi.ts';
import { baglink, serve, token, type Served } from '../../src-main/bench/serve-process.ts';
import { launchChromium } from '../../src-main/bench/chromium.ts';
import { screenshot, seriousViolations } from './browser.ts';
import { ensureRendererBuilt } from '../../src-main/api/renderer-build.ts';

const wait = { timeout: 20_000, interval: 50 };

/**
 * A station whose history differs from the centre's (as the sync worker records it): the dashboard and Settings
 * say so in the screen's language, with what IT does.
 */
describe('a diverged station on the screens', () => {
  let dataDir: string;
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'baglink-web-diverged-'));
    const added = baglink(
      ['user', 'add', '--data-dir', dataDir, '--username', 'admin', '--role', 'admin', '--password-stdin'],
      'admin-password-1\n',
    );
    expect(added.code, added.stderr).toBe(0);
    const db = new Database(join(dataDir, 'station.db'));
    db.prepare(
      `update sync_state set diverged = '{"reason":"different_op","seq":4}', last_error = ?, last_error_at = ?`,
    ).run(formatError('sync_diverged'), Date.now());
    db.close();
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
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('Settings shows the sentence in English and in Hindi', async () => {
    await page.locator('[data-screen="settings"]').click();
    await page.getByTestId('screen-settings').waitFor();
    const line = page.getByTestId('sync-last-error');
    await expect.poll(async () => (await line.textContent()) ?? '', wait).toContain('baglink recover');
    await screenshot(page, 'sync-diverged-settings-en');
    await page.locator('.header [data-lang="hi"]').click();
    await expect.poll(async () => (await line.textContent()) ?? '', wait).toBe(hiErrors.sync_diverged);
    await screenshot(page, 'sync-diverged-settings-hi');
    expect(await seriousViolations(page)).toEqual([]);
    await page.locator('[data-screen="dashboard"]').click();
    await expect
      .poll(async () => (await page.getByTestId('sync-health').textContent()) ?? '', wait)
      .toContain(hiErrors.sync_diverged);
    await screenshot(page, 'sync-diverged-dashboard-hi');
  });

  it('a conflict whose correction has not arrived yet does not offer "keep the centre\'s"', async () => {
    for (const code of ['SB00001', 'CH000001']) {
      const r = await served.call('scan.submit', { code });
      expect(r.ok, JSON.stringify(r)).toBe(true);
    }
    const db = new Database(join(dataDir, 'station.db'));
    db.prepare(
      `insert into sync_conflicts (central_id, seq, op, kind, local, central, created_at)
       values (7, 2, 'scan', 'parent_full', ?, '{"capacity": 1}', ?)`,
    ).run(JSON.stringify({ child: 'CH000001', parent: 'SB00001' }), Date.now());
    db.close();
    await page.locator('[data-screen="conflicts"]').click();
    await page.getByTestId('screen-conflicts').waitFor();
    await expect
      .poll(async () => (await page.getByTestId('conflict-wait').textContent()) ?? '', wait)
      .toBe(hi.conflicts.waitForCentre);
    await screenshot(page, 'conflict-wait-for-centre-hi');
    expect(await seriousViolations(page)).toEqual([]);
  });
});
