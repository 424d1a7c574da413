import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { token } from '../../src-main/bench/serve-process.ts';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';

const wait = { timeout: 20_000, interval: 50 };
const text = (locator: Locator) => expect.poll(async () => (await locator.textContent()) ?? '', wait);

/**
 * Review finding F3: a double click on "Undo last scan", or Undo clicked in two tabs at once, undoes one bag;
 * and (F2) CMD-UNDO read twice by the serial scanner undoes one. Chromium against `baglink serve`.
 */
describe('undo runs once', () => {
  let station: WebStation;
  let page: Page;
  let other: Page;

  const childrenOf = async (parent: string): Promise<number> => {
    const r = await station.served.call('bags.lookup', { code: parent });
    return r.ok ? (r.value.children as unknown[]).length : -1;
  };
  const undoFlashes = async (p: Page) => p.locator('[data-testid="flash"][data-icon="undo"]').count();
  const settled = async (p: Page) => {
    await expect.poll(() => p.getByTestId('undo').isEnabled(), wait).toBe(true);
  };

  beforeAll(async () => {
    station = await startWebStation();
    page = station.page;
    await page.locator('#login-title').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /Username \+ password|यूज़रनेम \+ पासवर्ड/ }).click();
    await page.locator('input[name="username"]').fill(people.dock.username);
    await page.locator('input[name="password"]').fill(people.dock.password);
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('screen-scan').waitFor();
  }, 120_000);

  afterAll(async () => {
    await station?.close();
  });

  it('a dock worker links six bags from the serial scanner', async () => {
    // The station opens the pty a moment after it starts: scan the parent until it shows.
    await expect
      .poll(
        async () => {
          station.scan('SB00001');
          return (await page.getByTestId('active-parent').textContent()) ?? '';
        },
        { ...wait, interval: 1000 },
      )
      .toBe('SB00001');
    for (let i = 1; i <= 6; i++) station.scan(`CHILD00${i}`);
    await text(page.getByTestId('parent-count')).toBe('6 / 30');
  });

  it('a double click on Undo undoes one bag, and the button is disabled while it runs', async () => {
    await page.getByTestId('undo').dblclick();
    await expect.poll(() => page.getByTestId('undo').isDisabled(), wait).toBe(true);
    await screenshot(page, 'undo-once-disabled');
    await settled(page);
    await text(page.getByTestId('parent-count')).toBe('5 / 30');
    expect(await childrenOf('SB00001')).toBe(5);
  });

  it('Undo clicked in two tabs at once undoes one bag; the flash shows in both', async () => {
    other = await page.context().newPage();
    await other.goto(`${station.served.url}/#token=${token}`);
    await other.getByTestId('screen-scan').waitFor({ timeout: 30_000 });
    await text(other.getByTestId('parent-count')).toBe('5 / 30');
    // Both clicks in the same instant: Playwright's click() waits for each button first, which on a loaded
    // machine can put the second after the first's hold, and that is no longer "at once".
    const press = `document.querySelector('[data-testid="undo"]').click()`;
    await Promise.all([page.evaluate(press), other.evaluate(press)]);
    await expect.poll(() => undoFlashes(other), wait).toBeGreaterThan(0);
    await settled(page);
    await settled(other);
    await text(page.getByTestId('parent-count')).toBe('4 / 30');
    expect(await childrenOf('SB00001')).toBe(4);
    await other.close();
  });

  it('CMD-UNDO read twice at once by the serial scanner undoes one bag', async () => {
    await settled(page);
    const before = await childrenOf('SB00001');
    station.scan('CMD-UNDO');
    station.scan('CMD-UNDO');
    await text(page.getByTestId('parent-count')).toBe(`${before - 1} / 30`);
    await settled(page);
    // Wait for both reads to be recorded, then check nothing more was undone.
    await expect
      .poll(async () => {
        const r = await station.served.call('bags.lookup', { code: 'CMD-UNDO' });
        return (r.value.history as unknown[]).length;
      }, wait)
      .toBe(2);
    await text(page.getByTestId('parent-count')).toBe(`${before - 1} / 30`);
    expect(await childrenOf('SB00001')).toBe(before - 1);
    const history = await station.served.call('bags.lookup', { code: 'CMD-UNDO' });
    const outcomes = (history.value.history as { outcome: string }[]).map((h) => h.outcome).sort();
    expect(outcomes).toEqual(['command', 'double_read']);
  });
});
