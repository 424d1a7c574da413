import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { token } from '../../src-main/bench/serve-process.ts';
import { startLinkProxy, type LinkProxy } from './break-link-proxy.ts';
import { setTimeout as pause } from 'node:timers/promises';

/**
 * A page opened while someone logs out elsewhere (the API, another tab): its first reads must not be older than
 * the events it hears, or it shows a person logged in who has gone. Chromium against `baglink serve`.
 */
describe('a page whose socket opens late', () => {
  let station: WebStation;
  let proxy: LinkProxy;
  let url: string;

  beforeAll(async () => {
    station = await startWebStation();
    // In front of the station: its socket can be held back, as a loaded station PC may take that long to open it.
    proxy = await startLinkProxy(station.served.url);
    url = proxy.url;
  }, 180_000);

  afterAll(async () => {
    await station?.close();
    await proxy?.close();
  });

  /** The supervisor logged in, and a new tab opened through the proxy with its socket held back. */
  async function openWhileLoggedIn(): Promise<Page> {
    proxy.holdSockets = true;
    const { username, password } = people.supervisor;
    const login = await station.served.call('auth.login', { username, password });
    expect(login.ok).toBe(true);
    const page = await (
      await station.browser.newContext({ viewport: { width: 1280, height: 900 } })
    ).newPage();
    await page.goto(`${url}/#token=${token}`);
    return page;
  }

  async function expectLoginShown(page: Page) {
    await page.locator('#login-title').waitFor({ timeout: 20_000 });
    await expect
      .poll(async () => page.getByTestId('screen-scan').count(), { timeout: 5_000, interval: 100 })
      .toBe(0);
    const whoami = await station.served.call('auth.whoami', {});
    expect(whoami.ok && whoami.value).toBeNull();
  }

  it('shows the login after a logout that happened before its socket opened, not the person who left', async () => {
    const page = await openWhileLoggedIn();
    // The page has started and asked who is logged in; the supervisor logs out before its socket is open.
    await pause(1500);
    expect((await station.served.call('auth.logout', {})).ok).toBe(true);
    proxy.release();
    await expectLoginShown(page);
  }, 60_000);

  it('says the link is down while its socket will not open, and reads again once it does', async () => {
    const page = await openWhileLoggedIn();
    // Past the page's wait for its socket: it works over HTTP meanwhile and says it cannot hear the station.
    await page.getByTestId('link-banner').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('link-banner').getAttribute('data-link')).toBe('down');
    expect((await station.served.call('auth.logout', {})).ok).toBe(true);
    proxy.release();
    await page.getByTestId('link-banner').waitFor({ state: 'detached', timeout: 20_000 });
    await expectLoginShown(page);
  }, 60_000);
});
