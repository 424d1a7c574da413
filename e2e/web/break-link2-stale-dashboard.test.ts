import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { token } from '../../src-main/bench/serve-process.ts';
import { startLinkProxy, type LinkProxy } from './break-link-proxy.ts';

/**
 * A supervisor watches the dashboard. The page loses its socket for a while (cut, the new one slow to open) and
 * the serial scanner keeps saving reads meanwhile. When the link is back up the dashboard must show what the
 * station holds now, not the counts from before the outage.
 */
describe('break-link2: the dashboard after a lost link', () => {
  let station: WebStation;
  let proxy: LinkProxy;
  let page: Page;
  const todayScans = async () =>
    ((await station.served.call('stats.dashboard', {})).value as { today: { scans: number } }).today.scans;
  const shownScans = async () =>
    Number(await page.locator('.tile .tile-value').first().textContent({ timeout: 5_000 }));

  beforeAll(async () => {
    station = await startWebStation();
    proxy = await startLinkProxy(station.served.url);
    expect(
      (
        await station.served.call('auth.login', {
          username: people.supervisor.username,
          password: people.supervisor.password,
        })
      ).ok,
    ).toBe(true);
    page = await station.browser.newPage();
    await page.goto(`${proxy.url}/#token=${token}`);
    await page.waitForSelector('.app-in', { timeout: 30_000 });
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await station?.close();
  });

  it('reads the counts again when the link comes back', async () => {
    await page.click('[data-screen="dashboard"]');
    await page.waitForSelector('.tile .tile-value', { timeout: 30_000 });
    expect(await shownScans()).toBe(await todayScans());

    // The socket is cut and the next one hangs: the page shows the red band.
    proxy.holdSockets = true;
    proxy.cutSockets();
    await page.waitForSelector('[data-testid="link-banner"]', { timeout: 30_000 });

    // Meanwhile the serial scanner saves three reads.
    const before = await todayScans();
    station.scan('SB11111');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    station.scan('ABCD1001');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    station.scan('ABCD1002');
    await expect.poll(todayScans, { timeout: 20_000 }).toBe(before + 3);

    // The socket opens again: the page is up, and the dashboard says what the station says.
    proxy.release();
    await page.waitForSelector('[data-testid="link-banner"]', { state: 'detached', timeout: 60_000 });
    const now = await todayScans();
    await expect.poll(shownScans, { timeout: 15_000 }).toBe(now);
  }, 180_000);

  it('the scan screen shows the active parent and its count saved while the page could not hear', async () => {
    await page.click('[data-screen="scan"]');
    await page.waitForSelector('[data-testid="active-parent"]', { timeout: 30_000 });
    proxy.holdSockets = true;
    proxy.cutSockets();
    await page.waitForSelector('[data-testid="link-banner"]', { timeout: 30_000 });
    station.scan('SB22222');
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    station.scan('ABCD2001');
    await expect
      .poll(
        async () =>
          (
            (await station.served.call('scan.state', {})).value as {
              activeParent: { code: string; childCount: number } | null;
            }
          ).activeParent?.childCount,
        { timeout: 20_000 },
      )
      .toBe(1);
    proxy.release();
    await page.waitForSelector('[data-testid="link-banner"]', { state: 'detached', timeout: 60_000 });
    await expect
      .poll(() => page.locator('[data-testid="active-parent"]').textContent(), { timeout: 15_000 })
      .toContain('SB22222');
    await expect
      .poll(() => page.locator('[data-testid="parent-count"]').textContent(), { timeout: 15_000 })
      .toMatch(/^\D*1\b/);
  }, 180_000);
});
