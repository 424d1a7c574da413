import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { serve } from '../../src-main/bench/serve-process.ts';
import { screenshot } from './browser.ts';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';

const wait = { timeout: 20_000, interval: 50 };

/** A keyboard-wedge scanner: the code as fast keys, then Enter. */
async function keyboardScan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 4 });
  await page.keyboard.press('Enter');
}

/** The page never lies about the station: a stopped `baglink serve`, a restart, a new token. */
describe('the page when the station goes away', () => {
  let station: WebStation;
  let page: Page;
  let port: string;

  beforeAll(async () => {
    station = await startWebStation();
    page = station.page;
    port = new URL(station.served.url).port;
    await station.served.call('auth.login', people.dock);
    await page.getByTestId('screen-scan').waitFor({ timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await station?.close();
  });

  it('shows the red band at once, says "unknown" in the header, and flashes red for a read that was not saved', async () => {
    await station.served.stop();
    const banner = page.getByTestId('link-banner');
    await banner.waitFor();
    expect(await banner.getAttribute('data-link')).toBe('down');
    expect(await banner.textContent()).toContain('scans are not being saved');
    await expect.poll(() => page.getByTestId('scanner-pill').textContent(), wait).toBe('Scanners: unknown');
    expect(await page.getByTestId('sync-pill').textContent()).toBe('Sync: unknown');

    await keyboardScan(page, 'CHILD001');
    const flash = page.locator('[data-testid="flash"][data-kind="error"][data-shown="true"]');
    await flash.waitFor();
    expect(await flash.textContent()).toContain('Not saved');
    expect(await flash.textContent()).toContain('CHILD001');
    await screenshot(page, 'outage-not-saved');
    await page.locator('.flash-ack').click();
    await page.setViewportSize({ width: 1366, height: 768 });
    await screenshot(page, 'outage-banner-1366-en');
  });

  it('on restart drops the band, re-checks the session and shows the login (the restart ended it)', async () => {
    station.served = await serve(station.dataDir, ['--port', port]);
    await page.getByTestId('link-banner').waitFor({ state: 'detached', timeout: 30_000 });
    await page.locator('#login-title').waitFor();
    await expect.poll(() => page.getByTestId('sync-pill').textContent(), wait).not.toBe('Sync: unknown');
  });

  it('after a restart with a new token, says the token changed and how to open the new address', async () => {
    await station.served.stop();
    await page.getByTestId('link-banner').waitFor();
    station.served = await serve(station.dataDir, ['--port', port], 'another-token-0123456789');
    const banner = page.locator('[data-testid="link-banner"][data-link="tokenChanged"]');
    await banner.waitFor({ timeout: 30_000 });
    expect(await banner.textContent()).toContain('new token');
    expect(await banner.textContent()).toContain(`127.0.0.1:${port}/#token=`);
    await screenshot(page, 'outage-token-changed');
    await page.setViewportSize({ width: 1920, height: 1080 });
    await page.locator('[data-lang="hi"]').click();
    await page.getByText('नए टोकन').first().waitFor();
    await screenshot(page, 'outage-token-changed-1920-hi');
    await page.locator('[data-lang="en"]').click();
  });
});

describe('two tabs on one station', () => {
  let station: WebStation;
  let first: Page;
  let second: Page;

  beforeAll(async () => {
    station = await startWebStation();
    first = station.page;
    second = await first.context().newPage();
    await second.goto(`${station.served.url}/#token=e2e-token-0123456789abcdef`);
    // Both tabs up and listening before the login, so each hears it (a page still starting may miss the event).
    await first.locator('#login-title').waitFor({ timeout: 30_000 });
    await second.locator('#login-title').waitFor({ timeout: 30_000 });
    await station.served.call('auth.login', people.dock);
    await first.getByTestId('screen-scan').waitFor({ timeout: 30_000 });
    await second.getByTestId('screen-scan').waitFor({ timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await station?.close();
  });

  it('acknowledging a red flash in one tab clears it in the other', async () => {
    // No parent yet: a child is refused, red in both tabs. The pty opens a moment after start: read until it lands.
    const red = (page: Page) => page.locator('[data-testid="flash"][data-kind="error"][data-shown="true"]');
    await expect
      .poll(
        async () => {
          station.scan('CHILD009');
          return red(second).count();
        },
        { ...wait, interval: 1000 },
      )
      .toBe(1);
    await red(first).waitFor();
    await first.locator('.flash-ack').click();
    await red(second).waitFor({ state: 'detached' });
    expect(await red(first).count()).toBe(0);
  });

  it('a command read on the serial scanner runs once, not once per tab, and flashes in both', async () => {
    station.scan('SB20001');
    station.scan('CHILD0101');
    station.scan('CHILD0102');
    for (const page of [first, second]) {
      await expect.poll(() => page.getByTestId('parent-count').textContent(), wait).toBe('2 / 30');
    }
    station.scan('CMD-UNDO');
    for (const page of [first, second]) {
      await page.locator('[data-testid="flash"][data-icon="undo"]').waitFor({ state: 'attached' });
      await expect.poll(() => page.getByTestId('parent-count').textContent(), wait).toBe('1 / 30');
    }
    const state = await station.served.call('scan.state', {});
    expect(state.value.activeParent.childCount).toBe(1);
  });

  it('a logout in one tab shows the login in the other', async () => {
    await first.locator('.who button').click();
    await second.locator('#login-title').waitFor();
    await first.locator('#login-title').waitFor();
  });
});
