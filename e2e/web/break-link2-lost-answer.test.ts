import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { screenshot } from './browser.ts';

/**
 * A half-dead link: the page's frames still reach the station, but the station's answers no longer reach the page.
 * A keyboard read sent just then is saved by the station; the page never hears the answer, drops the quiet socket
 * after the heartbeat goes unanswered, and must not tell the worker that read was "Not saved".
 */
const deafenable = `(() => {
  const Real = window.WebSocket;
  const all = [];
  class Deafenable extends Real {
    constructor(url, protocols) { super(url, protocols); this.__deaf = false; all.push(this); }
    set onmessage(fn) { super.onmessage = fn ? (e) => { if (!this.__deaf) fn.call(this, e); } : null; }
    get onmessage() { return super.onmessage; }
  }
  window.WebSocket = Deafenable;
  window.__deafen = () => { for (const s of all) s.__deaf = true; };
})();`;

describe('break-link2: a read whose answer was lost on the way back', () => {
  let station: WebStation;
  beforeAll(async () => {
    station = await startWebStation();
    await station.page.addInitScript(deafenable);
    await station.page.reload();
  }, 120_000);
  afterAll(async () => {
    await station?.close();
  });

  it('does not say "Not saved" for a read the station saved', async () => {
    const { page, served } = station;
    const login = await served.call('auth.login', people.dock);
    expect(login.ok).toBe(true);
    await page.waitForSelector('.app-in', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="link-banner"]', { state: 'detached' });

    await page.evaluate('window.__deafen()');
    await page.keyboard.type('SB12345', { delay: 0 });
    await page.keyboard.press('Enter');

    // The station took it: SB12345 is the active parent now.
    await expect
      .poll(
        async () =>
          ((await served.call('scan.state', {})).value as { activeParent: { code: string } | null })
            .activeParent?.code,
        {
          timeout: 20_000,
        },
      )
      .toBe('SB12345');

    // The page notices the dead socket (its heartbeat goes unanswered), reconnects, and shows something for SB12345.
    await page.locator('[data-testid="flash"]', { hasText: 'SB12345' }).first().waitFor({ timeout: 90_000 });
    await screenshot(page, 'break-link2-read-not-confirmed');

    // Whatever the page shows for SB12345, it must not be "Not saved": the station saved it.
    const titles = (await page.evaluate(
      `[...document.querySelectorAll('[data-testid="flash"]')].map((f) => (f.querySelector('.flash-title')?.textContent ?? '') + ' | ' + (f.querySelector('.flash-code')?.textContent ?? ''))`,
    )) as string[];
    expect(titles.filter((t) => t.includes('SB12345') && t.startsWith('Not saved'))).toEqual([]);
  }, 180_000);
});
