import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';

const wait = { timeout: 20_000, interval: 50 };
const shown = '[data-testid="flash"][data-shown="true"]';

const audioHook = fileURLToPath(new URL('./audio-hook.js', import.meta.url));

/** A keyboard-wedge scanner: fast keys, then Enter. */
async function keyboardScan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 4 });
  await page.keyboard.press('Enter');
}

describe('what a dock worker needs at 2 m', () => {
  let station: WebStation;
  let page: Page;
  const played = () => page.evaluate(() => (globalThis as unknown as { played: string[] }).played.slice());
  const waitFlash = (selector: string) => page.locator(`${shown}${selector}`).waitFor({ state: 'attached' });
  const faded = () => page.locator(shown).waitFor({ state: 'detached' });
  const count = () => page.getByTestId('parent-count');
  const dbCount = async () => (await station.served.call('scan.state', {})).value.activeParent.childCount;
  /** The sound the next flash plays, observed in the page. */
  async function soundOf(act: () => Promise<void> | void, flash: string): Promise<string | undefined> {
    const before = (await played()).length;
    await act();
    await waitFlash(flash);
    await expect.poll(async () => (await played()).length, wait).toBeGreaterThan(before);
    return (await played()).at(-1);
  }

  beforeAll(async () => {
    station = await startWebStation();
    await station.page.close();
    const context = await station.browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.addInitScript({ path: audioHook });
    page = await context.newPage();
    await page.goto(`${station.served.url}/#token=e2e-token-0123456789abcdef`);
    await station.served.call('auth.login', people.dock);
    await page.getByTestId('screen-scan').waitFor({ timeout: 30_000 });
    // The pty opens a moment after the station starts: read the first parent until it lands.
    for (let i = 0; i < 30 && (await page.getByTestId('active-parent').textContent()) !== 'SB10001'; i++) {
      station.scan('SB10001');
      await sleep(1000);
    }
    await faded();
  }, 120_000);

  afterAll(async () => {
    await station?.close();
  });

  it('plays each outcome its own sound, with an icon and the count at headline size', async () => {
    expect(await soundOf(() => station.scan('SB10002'), '[data-icon="parent"]')).toBe('parent');
    expect(await soundOf(() => station.scan('CHILD0001'), '[data-icon="ok"]')).toBe('ok');
    expect(await page.getByTestId('flash-count').textContent()).toBe('1 / 30');
    await screenshot(page, 'floor-flash-ok-1366');
    // The same code again at once on the same scanner is a second read, ignored; from the other scanner
    // (the keyboard) it is a read of a bag already in this parent.
    expect(await soundOf(() => station.scan('CHILD0001'), '[data-icon="double"]')).toBe('double');
    await faded();
    expect(await soundOf(() => keyboardScan(page, 'CHILD0001'), '[data-icon="duplicate"]')).toBe('duplicate');
    await faded();
    station.scan('CHILD0002');
    await text(count(), '2 / 30');
    expect(await page.getByTestId('next-step').textContent()).toBe('Scan child 3 of 30');
    expect(await page.getByTestId('children').locator('li').allTextContents()).toEqual([
      'CHILD0001',
      'CHILD0002',
    ]);
    await faded();
    expect(await soundOf(() => keyboardScan(page, 'CMD-UNDO'), '[data-icon="undo"]')).toBe('undo');
    await faded();
    expect(await soundOf(() => station.scan('CMD-COMPLETE'), '[data-icon="complete"]')).toBe('complete');
    await faded();
    expect(await soundOf(() => station.scan('SB10002'), '[data-icon="reopened"]')).toBe('reopened');
    expect(await page.locator(shown).textContent()).toContain('1 / 30');
    await faded();
    expect(await soundOf(() => station.scan('NOTACODE!'), '[data-icon="error"]')).toBe('error');
    await page.locator('.flash-ack').click();
    for (let i = 2; i <= 30; i++) station.scan(`CHILD${String(i).padStart(4, '0')}`);
    await text(count(), '30 / 30');
    await faded();
    station.scan('SB10003');
    await waitFlash('[data-icon="parent"]');
    await faded();
    // A full parent scanned again: the orange full flash at its own scan, never a blue "new parent".
    expect(await soundOf(() => station.scan('SB10002'), '[data-kind="full"]')).toBe('parent-full');
    await faded();
    expect(await page.getByTestId('next-step').textContent()).toBe('Parent full: scan the next parent');
    const undo = await page.getByTestId('undo').boundingBox();
    expect(undo!.y + undo!.height).toBeLessThanOrEqual(768);
    await screenshot(page, 'floor-scan-full-1366-en');
  }, 90_000);

  it('undo from the keyboard scanner updates the count to what the station holds', async () => {
    await keyboardScan(page, 'CMD-UNDO');
    await waitFlash('[data-icon="undo"]');
    await text(count(), '29 / 30');
    expect(await dbCount()).toBe(29);
    await faded();
    await keyboardScan(page, 'CMD-UNDO');
    await text(count(), '28 / 30');
    expect(await dbCount()).toBe(28);
    await faded();
  });

  it('takes a typed code for a damaged label, recorded as typed', async () => {
    const field = page.getByTestId('typed-entry').locator('input[name="typed"]');
    await field.fill('CHILD0029');
    await field.press('Enter');
    await waitFlash('[data-icon="ok"]');
    await text(count(), '29 / 30');
    await text(page.getByTestId('reads').locator('li').first(), 'CHILD0029 · typed', 'contain');
    const story = await station.served.call('bags.lookup', { code: 'CHILD0029' });
    expect(story.value.history[0]).toMatchObject({ scanner: 'typed', action: 'link' });
    await faded();
  });

  it('says so for a command the role may not use and for a too-short read, and lists commands as commands', async () => {
    await keyboardScan(page, 'CMD-NEWBILL');
    await waitFlash('[data-kind="error"]');
    expect(await page.locator(shown).textContent()).toContain('for a Supervisor');
    await page.locator('.flash-ack').click();
    await keyboardScan(page, 'AB1');
    await waitFlash('[data-kind="error"]');
    expect(await page.locator(shown).textContent()).toContain('too short');
    await page.locator('.flash-ack').click();
    station.scan('CMD-COMPLETE');
    await waitFlash('[data-icon="complete"]');
    await faded();
    const reads = await page.getByTestId('reads').locator('li').allTextContents();
    expect(reads.some((r) => r.includes('Command: complete parent'))).toBe(true);
    expect(reads.some((r) => r.includes('Ignored'))).toBe(false);
  });

  it("shows the next operator's own reads after a login, and grows the type with the window", async () => {
    const small = await page
      .getByTestId('reads')
      .evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).fontSize);
    await station.served.call('auth.login', {
      username: people.supervisor.username,
      password: people.supervisor.password,
    });
    await text(page.locator('.who-name'), 'Sam Supervisor');
    await text(page.getByTestId('reads'), 'No reads yet.');
    await page.setViewportSize({ width: 1920, height: 1080 });
    const large = await page
      .getByTestId('reads')
      .evaluate((e) => e.ownerDocument.defaultView!.getComputedStyle(e).fontSize);
    expect(parseFloat(large)).toBeGreaterThan(parseFloat(small));
    // SB10002 holds 29 after the undo and the typed code, and was completed: it is reopened.
    station.scan('SB10002');
    await waitFlash('[data-icon="reopened"]');
    await screenshot(page, 'floor-flash-reopened-1920-en');
    await faded();
    await screenshot(page, 'floor-scan-1920-en');
    await page.locator('[data-lang="hi"]').click();
    await screenshot(page, 'floor-scan-1920-hi');
    await page.setViewportSize({ width: 1366, height: 768 });
    station.scan('SB10001');
    await waitFlash('[data-kind="parent"]');
    await screenshot(page, 'floor-flash-parent-1366-hi');
    await faded();
    await screenshot(page, 'floor-scan-1366-hi');
    await page.locator('[data-lang="en"]').click();
  }, 60_000);
});

function text(locator: ReturnType<Page['getByTestId']>, expected: string, how: 'be' | 'contain' = 'be') {
  const poll = expect.poll(async () => (await locator.textContent()) ?? '', wait);
  return how === 'be' ? poll.toBe(expected) : poll.toContain(expected);
}
