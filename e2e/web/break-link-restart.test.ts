/**
 * Break tests for a station killed (kill -9) and started again on the same data folder, seen through a proxy
 * (the page's address stays the same): the red band, a scan while it is down, the page once it is back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { serve, token } from '../../src-main/bench/serve-process.ts';
import { startLinkProxy, type LinkProxy } from './break-link-proxy.ts';
import { setTimeout as pause } from 'node:timers/promises';

let station: WebStation | undefined;
let proxy: LinkProxy | undefined;

afterEach(async () => {
  await proxy?.close().catch(() => undefined);
  await station?.close();
});

describe('break-link: station restart', () => {
  it('kill -9 and start again: a scan meanwhile is refused on the page, and the page comes back matching the station', async () => {
    station = await startWebStation();
    proxy = await startLinkProxy(station.served.url);
    const context = await station.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await station.served.call('auth.login', people.dock);
    await page.goto(`${proxy.url}/#token=${token}`);
    await page.getByRole('button', { name: /log out/i }).waitFor({ timeout: 30_000 });

    await station.served.stop('SIGKILL');
    await page.getByTestId('link-banner').waitFor({ timeout: 30_000 });
    await page.keyboard.type('SB20001\n', { delay: 5 });
    const shown = await page
      .locator('[data-testid="flash"]')
      .first()
      .waitFor({ state: 'attached', timeout: 15_000 })
      .then(() => true)
      .catch(() => false);
    expect(shown, `no flash; page says: ${(await page.locator('body').innerText()).slice(0, 300)}`).toBe(
      true,
    );
    expect(await page.locator('[data-testid="flash"]').innerText()).toMatch(/not saved/i);

    station.served = await serve(station.dataDir, ['--scanner', station.pair.station, '--only-configured']);
    proxy.target = station.served.url;
    await page.getByTestId('link-banner').waitFor({ state: 'detached', timeout: 30_000 });
    await pause(2_000);
    const who = (await station.served.call('auth.whoami', {})).value;
    expect(await page.getByRole('button', { name: /log out/i }).count()).toBe(who ? 1 : 0);
    const state = await station.served.call('scan.state', { limit: 50 });
    expect((state.value?.recent ?? []).filter((r: { code: string }) => r.code === 'SB20001')).toHaveLength(0);
  }, 180_000);

  it('restarted with a new token: the page says so, and a reload with the new token works', async () => {
    station = await startWebStation();
    proxy = await startLinkProxy(station.served.url);
    const context = await station.browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${proxy.url}/#token=${token}`);
    await page.locator('main.login').waitFor({ timeout: 30_000 });
    await station.served.stop('SIGKILL');
    const newToken = 'e2e-token-new-0123456789abcdef';
    station.served = await serve(
      station.dataDir,
      ['--scanner', station.pair.station, '--only-configured'],
      newToken,
    );
    proxy.target = station.served.url;
    await page.locator('[data-testid="link-banner"][data-link="tokenChanged"]').waitFor({ timeout: 30_000 });
    await page.goto(`${proxy.url}/#token=${newToken}`);
    await page.reload();
    await page.locator('main.login').waitFor({ timeout: 30_000 });
    await pause(2_000);
    expect(await page.getByTestId('link-banner').count()).toBe(0);
  }, 180_000);
});
