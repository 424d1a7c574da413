import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { WebStation } from '../../src-main/bench/web-station.ts';
import { token } from '../../src-main/bench/serve-process.ts';
import { startDockBehindProxy, type LinkProxy } from './break-link-proxy.ts';

/**
 * The page's first socket hangs in its opening handshake (a half-open link; the proxy never answers that one
 * upgrade). After 5 s the page says the link is down and goes over HTTP. The station is reachable all along and a
 * new socket would open at once: the page must not stay "down" (every keyboard read refused as "Not saved") for
 * as long as the browser cares to wait on the hung handshake.
 */
describe('break-link2: a socket that hangs while opening', () => {
  let station: WebStation;
  let proxy: LinkProxy;
  let page: Page;
  beforeAll(async () => {
    ({ station, proxy, page } = await startDockBehindProxy());
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await station?.close();
  });

  it('opens a new socket once the station answers, instead of waiting on the hung one', async () => {
    proxy.holdSockets = true;
    await page.goto(`${proxy.url}/#token=${token}`);
    // The page gives up waiting for the socket and says so; the session still arrives over HTTP.
    await page.waitForSelector('[data-testid="link-banner"]', { timeout: 30_000 });
    await page.waitForSelector('.app-in', { timeout: 30_000 });
    // The network is fine again for any new socket; only the first, hung one stays hung.
    proxy.holdSockets = false;

    // A probe answers at once: the page should be back up well within a minute (12 × its own 5 s open wait).
    await expect
      .poll(() => page.locator('[data-testid="link-banner"]').count(), { timeout: 60_000, interval: 1000 })
      .toBe(0);
    expect(proxy.upgrades).toBeGreaterThan(1);

    // And a keyboard read is saved, not refused as "Not saved".
    await page.keyboard.type('SB54321', { delay: 0 });
    await page.keyboard.press('Enter');
    await expect
      .poll(
        async () =>
          (
            (await station.served.call('scan.state', {})).value as {
              activeParent: { code: string } | null;
            }
          ).activeParent?.code,
        { timeout: 20_000 },
      )
      .toBe('SB54321');
  }, 180_000);

  it('does not stay on "Loading" when the first session read failed and the socket hangs', async () => {
    const second = await station.browser.newPage();
    proxy.holdSockets = true;
    await second.goto(`${proxy.url}/#token=${token}`, { waitUntil: 'load' });
    // A blip just as the page starts: its session read over HTTP (after the 5 s open wait) finds nobody.
    const target = proxy.target;
    proxy.target = 'http://127.0.0.1:1';
    await second.waitForSelector('[data-testid="link-banner"]', { timeout: 30_000 });
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    // The blip is over: HTTP answers and any new socket opens at once (only the first one stays hung).
    proxy.target = target;
    proxy.holdSockets = false;

    await expect
      .poll(() => second.locator('main.loading').count(), { timeout: 60_000, interval: 1000 })
      .toBe(0);
    await second.waitForSelector('.app-in', { timeout: 10_000 });
    await second.close();
  }, 180_000);
});
