import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';

const wait = { timeout: 20_000, interval: 50 };
const text = (locator: Locator) => expect.poll(async () => (await locator.textContent()) ?? '', wait);
const shown = '[data-testid="flash"][data-shown="true"]';
const items = (page: Page) =>
  expect.poll(() => page.getByTestId('children').locator('li').allTextContents(), wait);

/**
 * Review finding F5: a link changed elsewhere (here through the API, as another tab or a script would) reaches
 * the open scan screen at once: its count, next step and children list, with no new scan. Chromium against
 * `baglink serve`.
 */
describe('the scan screen follows links changed elsewhere', () => {
  let station: WebStation;
  let page: Page;

  const must = async (method: string, args: unknown) => {
    const answer = await station.served.call(method, args);
    if (!answer.ok) throw new Error(`${method} failed: ${answer.error?.message}`);
    return answer.value as unknown;
  };
  const childrenOf = async (parent: string): Promise<string[]> => {
    const r = await station.served.call('bags.lookup', { code: parent });
    return r.ok ? (r.value.children as { code: string }[]).map((c) => c.code) : [];
  };

  beforeAll(async () => {
    station = await startWebStation();
    page = station.page;
    await page.locator('#login-title').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /Username \+ password|यूज़रनेम \+ पासवर्ड/ }).click();
    await page.locator('input[name="username"]').fill(people.supervisor.username);
    await page.locator('input[name="password"]').fill(people.supervisor.password);
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('screen-scan').waitFor();
  }, 120_000);

  afterAll(async () => {
    await station?.close();
  });

  it('a supervisor links three bags into SB00077 from the serial scanner', async () => {
    // The station opens the pty a moment after it starts: scan the parent until it shows.
    await expect
      .poll(
        async () => {
          station.scan('SB00077');
          return (await page.getByTestId('active-parent').textContent()) ?? '';
        },
        { ...wait, interval: 1000 },
      )
      .toBe('SB00077');
    for (let i = 1; i <= 3; i++) station.scan(`MV00000${i}`);
    await text(page.getByTestId('parent-count')).toBe('3 / 30');
    await items(page).toEqual(['MV000001', 'MV000002', 'MV000003']);
  });

  it('a child removed through the API leaves the screen at once, without a new scan', async () => {
    await must('links.remove', { child: 'MV000002', reason: 'label torn, bag re-packed' });
    expect(await childrenOf('SB00077')).toEqual(['MV000001', 'MV000003']);
    await text(page.getByTestId('parent-count')).toBe('2 / 30');
    await text(page.getByTestId('next-step')).toBe('Scan child 3 of 30');
    await items(page).toEqual(['MV000001', 'MV000003']);
    // The last scan's flash fades by itself: the screen under it is what the picture shows.
    await expect.poll(() => page.locator(shown).count(), wait).toBe(0);
    await screenshot(page, 'links-live-removed');
  });

  it('scan.undoLast through the API takes the last child off the screen, without a new scan', async () => {
    await must('scan.undoLast', {});
    expect(await childrenOf('SB00077')).toEqual(['MV000001']);
    await text(page.getByTestId('parent-count')).toBe('1 / 30');
    await text(page.getByTestId('next-step')).toBe('Scan child 2 of 30');
    await items(page).toEqual(['MV000001']);
  });

  it('the parent closed through the API leaves the screen', async () => {
    await must('scan.closeParent', {});
    await text(page.getByTestId('active-parent')).toBe('No parent');
    await screenshot(page, 'links-live-closed');
  });
});
