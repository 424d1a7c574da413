import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { WebStation } from '../../src-main/bench/web-station.ts';
import { token } from '../../src-main/bench/serve-process.ts';
import { startDockBehindProxy, type LinkProxy } from './break-link-proxy.ts';

/** A keyboard read made while the page still says "Loading" (its socket slow to open) is saved once and shown. */
describe('break-link2: a read typed while the page is loading', () => {
  let station: WebStation;
  let proxy: LinkProxy;
  let page: Page;
  const readsOf = async (code: string) =>
    (
      (await station.served.call('scan.state', { limit: 50 })).value as { recent: { code: string }[] }
    ).recent.filter((r) => r.code === code).length;
  beforeAll(async () => {
    ({ station, proxy, page } = await startDockBehindProxy());
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await station?.close();
  });

  it('is saved exactly once, with its flash', async () => {
    proxy.holdSockets = true;
    await page.goto(`${proxy.url}/#token=${token}`);
    await page.waitForSelector('main.loading', { timeout: 30_000 });
    await page.keyboard.type('SB33333', { delay: 0 });
    await page.keyboard.press('Enter');
    proxy.release();
    await page.waitForSelector('.app-in', { timeout: 30_000 });
    // Its flash was shown (a parent's flash fades by itself: it may be hidden already, but it is there).
    await expect
      .poll(
        () =>
          page.evaluate(
            `document.querySelector('[data-testid="flash"]')?.getAttribute('data-scan-id') ?? null`,
          ),
        { timeout: 30_000 },
      )
      .not.toBeNull();
    await expect
      .poll(
        async () =>
          ((await station.served.call('scan.state', {})).value as { activeParent: { code: string } | null })
            .activeParent?.code,
        { timeout: 20_000 },
      )
      .toBe('SB33333');
    // Let anything late arrive, then count: one read, not two.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await readsOf('SB33333')).toBe(1);
  }, 180_000);
});
