import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { WebStation } from '../../src-main/bench/web-station.ts';
import { token } from '../../src-main/bench/serve-process.ts';
import { startDockBehindProxy, type LinkProxy } from './break-link-proxy.ts';

/**
 * The page's socket is slow to open (held), so the page shows the red band while the station still answers HTTP.
 * A code typed for a damaged label then must not vanish: it was once sent over HTTP and saved with no flash (the
 * flash comes from the scan event the page cannot hear). The worker must be told what became of it, truly.
 */
describe('break-link2: a typed read while the socket is down but HTTP works', () => {
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

  it('tells the worker what became of a code typed while the red band is up, and it matches the station', async () => {
    proxy.holdSockets = true;
    await page.goto(`${proxy.url}/#token=${token}`);
    await page.waitForSelector('[data-testid="link-banner"]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="typed-entry"]', { timeout: 30_000 });

    await page.fill('[data-testid="typed-entry"] input', 'SB44444');
    await page.click('[data-testid="typed-entry"] button[type="submit"]');

    // The worker hears about SB44444 one way or another: a flash naming it.
    await expect
      .poll(
        () =>
          page.evaluate(
            `[...document.querySelectorAll('[data-testid="flash"]')].map((f) => f.textContent).join(' / ')`,
          ),
        { timeout: 15_000 },
      )
      .toContain('SB44444');
    const shown = (await page.evaluate(
      `[...document.querySelectorAll('[data-testid="flash"] .flash-title')].map((f) => f.textContent)`,
    )) as string[];
    const active = (
      (await station.served.call('scan.state', {})).value as { activeParent: { code: string } | null }
    ).activeParent?.code;
    // "Not saved" exactly when the station does not have it.
    if (active === 'SB44444') expect(shown).not.toContain('Not saved');
    else expect(shown).toContain('Not saved');
  }, 180_000);
});
