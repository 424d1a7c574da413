/**
 * Break tests for the page's socket while it is still opening (held back by a proxy): a keyboard-wedge scan made
 * meanwhile, a logout meanwhile, and an HTTP answer that comes back after the socket has opened.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { token } from '../../src-main/bench/serve-process.ts';
import { startLinkProxy, type LinkProxy } from './break-link-proxy.ts';

let station: WebStation;
let proxy: LinkProxy;
let context: BrowserContext;

beforeEach(async () => {
  station = await startWebStation();
  proxy = await startLinkProxy(station.served.url);
  context = await station.browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Every flash the page ever shows, kept for the test: a refusal must be seen, not just be on the screen now.
  await context.addInitScript(`(() => {
    const seen = [];
    window.flashesSeen = seen;
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="flash"]')) {
        const text = el.textContent ?? '';
        if (!seen.includes(text)) seen.push(text);
      }
    }).observe(document, { subtree: true, childList: true, characterData: true });
  })()`);
}, 120_000);

afterEach(async () => {
  await context?.close().catch(() => undefined);
  await proxy?.close().catch(() => undefined);
  await station?.close();
});

async function openThroughProxy(): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${proxy.url}/#token=${token}`);
  return page;
}

const flashesSeen = (page: Page) => page.evaluate('window.flashesSeen') as Promise<string[]>;

async function recentCodes(): Promise<string[]> {
  const answer = await station.served.call('scan.state', { limit: 50 });
  expect(answer.ok).toBe(true);
  return (answer.value.recent as Array<{ code: string; raw: string }>).map((r) => r.code || r.raw);
}

describe('break-link: the socket is still opening', () => {
  it('a keyboard-wedge scan while the page waits for its socket is saved once or clearly refused, never dropped', async () => {
    await station.served.call('auth.login', people.dock);
    proxy.holdSockets = true;
    const page = await openThroughProxy();
    // The page is up (scripts ran) but its socket is held: the worker scans a parent now.
    await page.waitForFunction(`document.querySelector('#root')?.childElementCount`, undefined, {
      timeout: 30_000,
    });
    await expect.poll(() => proxy.upgrades, { timeout: 30_000 }).toBeGreaterThan(0);
    await page.keyboard.type('SB10001\n', { delay: 5 });
    // Let the socket through after a moment: the page goes on to the dock worker's scan screen.
    await new Promise((r) => setTimeout(r, 1_000));
    proxy.release();
    await page.getByRole('button', { name: /log out/i }).waitFor({ timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 1_000));
    const saved = (await recentCodes()).filter((c) => c === 'SB10001').length;
    const flashes = await flashesSeen(page);
    // Control: the same typing once the socket is open is a saved scan (the test types like a wedge scanner).
    await page.keyboard.type('SB10002\n', { delay: 5 });
    await expect.poll(async () => (await recentCodes()).includes('SB10002'), { timeout: 15_000 }).toBe(true);
    // Saved exactly once, or the worker was told it was not saved.
    if (saved === 0)
      expect(flashes, 'the scan was neither saved nor refused on the page').toContainEqual(
        expect.stringMatching(/not saved|refused/i),
      );
    else expect(saved).toBe(1);
  }, 120_000);

  it('a logout from another tab while the socket is held back shows the login once the socket opens', async () => {
    await station.served.call('auth.login', people.dock);
    proxy.holdSockets = true;
    const page = await openThroughProxy();
    // Past the 5 s wait: the page reads over HTTP and says the station is not reachable.
    await page.getByTestId('link-banner').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /log out/i }).waitFor({ timeout: 30_000 });
    // Another tab (straight at the station) logs the worker out.
    const other = await station.browser.newPage();
    await other.goto(`${station.served.url}/#token=${token}`);
    await other.getByRole('button', { name: /log out/i }).click();
    await other.locator('main.login').waitFor({ timeout: 30_000 });
    proxy.release();
    await page.getByTestId('link-banner').waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('main.login').waitFor({ timeout: 30_000 });
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await page.getByRole('button', { name: /log out/i }).count()).toBe(0);
    await other.close();
  }, 120_000);

  it('an HTTP read of the session that comes back after the socket opened does not bring back a person who logged out', async () => {
    await station.served.call('auth.login', people.dock);
    proxy.holdSockets = true;
    // A slow link: the HTTP answers to whoami take a while (the socket is held longer than 5 s, so the page reads over HTTP).
    proxy.delayHttp.set('auth.whoami', 6_000);
    const page = await openThroughProxy();
    await page.getByTestId('link-banner').waitFor({ timeout: 30_000 });
    // The page's HTTP read of the session is on its way (the station said "Dina"): the worker logs out elsewhere.
    await new Promise((r) => setTimeout(r, 500));
    expect((await station.served.call('auth.logout', {})).ok).toBe(true);
    proxy.delayHttp.delete('auth.whoami');
    proxy.release();
    await page.getByTestId('link-banner').waitFor({ state: 'detached', timeout: 30_000 });
    // The socket's read of the session: the page shows the login (right).
    await page.locator('main.login').waitFor({ timeout: 30_000 });
    // The late HTTP answer lands; the page must still show the login, not Dina logged in.
    await new Promise((r) => setTimeout(r, 9_000));
    expect((await station.served.call('auth.whoami', {})).value).toBeNull();
    expect(await page.getByRole('button', { name: /log out/i }).count()).toBe(0);
    await page.locator('main.login').waitFor({ timeout: 10_000 });
  }, 120_000);
});
