/**
 * Break tests for a page whose socket drops and comes back (a proxy in front of the station): state read again
 * after the reconnect, and a socket that stays open but goes silent.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { people } from '../../src-main/bench/web-station.ts';
import { token } from '../../src-main/bench/serve-process.ts';
import { startWeightFlashStation, type WeightFlashStation } from './weight-flash-station.ts';
import { startLinkProxy, type LinkProxy } from './break-link-proxy.ts';
import { setTimeout as pause } from 'node:timers/promises';

let flashStation: WeightFlashStation | undefined;
let proxy: LinkProxy | undefined;

afterEach(async () => {
  await proxy?.close().catch(() => undefined);
  proxy = undefined;
  await flashStation?.close();
  flashStation = undefined;
});

async function pageThroughProxy(s: WeightFlashStation, p: LinkProxy): Promise<Page> {
  const context = await s.station.browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  await page.goto(`${p.url}/#token=${token}`);
  return page;
}

const weightFlashOn = (page: Page) =>
  page.locator('[data-testid="flash"][data-kind="weight"][data-shown="true"]');

describe('break-link: after a reconnect', () => {
  it('a weight flash acknowledged while the page was cut off is gone once the page is back', async () => {
    flashStation = await startWeightFlashStation();
    proxy = await startLinkProxy(flashStation.station.served.url);
    const page = await pageThroughProxy(flashStation, proxy);
    await weightFlashOn(page).waitFor({ timeout: 30_000 });
    // The link drops (Wi-Fi, a proxy restart) and the socket cannot reopen for a while.
    proxy.holdSockets = true;
    proxy.cutSockets();
    await page.getByTestId('link-banner').waitFor({ timeout: 30_000 });
    // Meanwhile the supervisor acknowledges the weight at the station's own screen.
    const { badge, pin } = people.supervisor;
    const ack = await flashStation.station.served.call('weights.acknowledge', {
      parent: 'SB00001',
      badge,
      pin,
    });
    expect(ack.ok).toBe(true);
    await flashStation
      .weightFlash()
      .waitFor({ state: 'detached', timeout: 30_000 })
      .catch(async () => {
        await flashStation!.weightFlash().waitFor({ state: 'hidden', timeout: 1_000 });
      });
    proxy.release();
    await page.getByTestId('link-banner').waitFor({ state: 'detached', timeout: 30_000 });
    await pause(3_000);
    // Still logged in as the dock worker: the page must not keep asking for a supervisor for a weight already acknowledged.
    await page.getByRole('button', { name: /log out/i }).waitFor({ timeout: 10_000 });
    const staleFlash = await weightFlashOn(page).count();
    // Control: a reload of the same page reads the weighing afresh and shows no flash.
    await page.reload();
    await page.getByRole('button', { name: /log out/i }).waitFor({ timeout: 30_000 });
    await pause(3_000);
    expect(await weightFlashOn(page).count()).toBe(0);
    expect(staleFlash, 'the orange flash stayed after the reconnect').toBe(0);
  }, 180_000);

  it('a socket that stays open but goes silent is noticed: the page does not look normal while nothing is answered', async () => {
    flashStation = await startWeightFlashStation();
    const { badge, pin } = people.supervisor;
    await flashStation.station.served.call('weights.acknowledge', { parent: 'SB00001', badge, pin });
    proxy = await startLinkProxy(flashStation.station.served.url);
    const page = await pageThroughProxy(flashStation, proxy);
    await page.getByRole('button', { name: /log out/i }).waitFor({ timeout: 30_000 });
    // A half-dead link (laptop resumed, NAT entry gone): nothing passes either way, no close is ever seen.
    proxy.silence();
    await page.keyboard.type('SB10009\n', { delay: 5 });
    // The worker must be told, within a generous while: the red band or a "not saved" flash.
    const told = await page
      .locator('[data-testid="link-banner"], [data-testid="flash"][data-shown="true"]')
      .first()
      .waitFor({ timeout: 75_000 })
      .then(() => true)
      .catch(() => false);
    expect(told, 'after 75 s the page still looked normal and the scan had no answer').toBe(true);
  }, 240_000);
});
