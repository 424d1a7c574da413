import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPtyPair, stopAllPtyPairs } from '../../src-main/scanner/pty-pair.ts';
import { baglink, serve, token, type Served } from '../../src-main/bench/serve-process.ts';
import { launchChromium } from '../../src-main/bench/chromium.ts';
import { screenshot, seriousViolations } from './browser.ts';
import { ensureRendererBuilt } from '../../src-main/api/renderer-build.ts';

const wait = { timeout: 20_000, interval: 100 };
const text = (locator: Locator) => expect.poll(async () => (await locator.textContent()) ?? '', wait);

/**
 * A new station with no users, in Chromium: with the status methods now for people logged in, the first-admin
 * screen still shows the scanner and sync chips, from status.preLogin; once an admin exists it is the login.
 */
describe('first run: the screens before anyone can log in', () => {
  let dataDir: string;
  let served: Served;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    await ensureRendererBuilt();
    dataDir = mkdtempSync(join(tmpdir(), 'baglink-first-run-'));
    const pair = await startPtyPair(dataDir);
    served = await serve(dataDir, ['--scanner', pair.station, '--only-configured']);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    page = await context.newPage();
    await page.goto(`${served.url}/#token=${token}`);
    await page.locator('#first-admin-title').waitFor({ timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await served?.stop();
    await stopAllPtyPairs();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('offers the first admin, and shows the scanner and sync chips', async () => {
    await text(page.getByTestId('scanner-pill')).toMatch(/1/);
    await text(page.getByTestId('sync-pill')).toMatch(/\d/);
    await screenshot(page, 'first-run-login');
    expect(await seriousViolations(page)).toEqual([]);
    expect((await served.call('status.get')).error?.code).toBe('not_logged_in');
  });

  it('shows the login instead once the station has an admin', async () => {
    const added = baglink(
      ['user', 'add', '--data-dir', dataDir, '--username', 'admin', '--role', 'admin', '--password-stdin'],
      'admin-password\n',
    );
    expect(added.code, added.stderr).toBe(0);
    await page.reload();
    await page.locator('#login-title').waitFor();
    await text(page.getByTestId('sync-pill')).toMatch(/\d/);
    expect(await page.locator('#first-admin-title').count()).toBe(0);
  });
});
