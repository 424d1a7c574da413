import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { screenshot, seriousViolations } from './browser.ts';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';

const wait = { timeout: 20_000, interval: 50 };
const text = (locator: Locator) => expect.poll(async () => (await locator.textContent()) ?? '', wait);

/** Screenshot and axe, once any flash has faded (unless the flash itself is what is being checked). */
async function checkScreen(page: Page, name: string, withFlash = false) {
  if (!withFlash)
    await page.locator('[data-testid="flash"][data-shown="true"]').waitFor({ state: 'detached' });
  await screenshot(page, name);
  expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
}

async function openScreen(page: Page, id: string) {
  await page.locator(`[data-screen="${id}"]`).click();
  await page.getByTestId(`screen-${id}`).waitFor();
}

async function logInWithPassword(page: Page, who: { username: string; password: string }) {
  await page.getByRole('button', { name: /Username \+ password|यूज़रनेम \+ पासवर्ड/ }).click();
  await page.locator('input[name="username"]').fill(who.username);
  await page.locator('input[name="password"]').fill(who.password);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId('screen-scan').waitFor();
}

async function logOut(page: Page) {
  await page.locator('.who button').click();
  await page.locator('#login-title').waitFor();
}

/** The whole renderer in Chromium against `baglink serve`, scans played into a socat pty as a scanner. */
describe('station screens in Chromium', () => {
  let station: WebStation;
  let page: Page;
  const children = Array.from({ length: 31 }, (_, i) => `CHILD${String(i + 1).padStart(3, '0')}`);

  beforeAll(async () => {
    station = await startWebStation();
    page = station.page;
    await page.locator('#login-title').waitFor({ timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await station?.close();
  });

  it('logs a supervisor in with a badge scanned on the serial scanner and a PIN', async () => {
    await checkScreen(page, '01-login');
    // The station opens the pty a moment after it starts: scan again until the read arrives, as a worker would.
    const badge = page.locator('input[name="badge"]');
    await expect
      .poll(
        async () => {
          station.scan(people.supervisor.badge);
          return badge.inputValue();
        },
        { ...wait, interval: 1000 },
      )
      .toBe(people.supervisor.badge);
    await page.locator('input[name="pin"]').fill(people.supervisor.pin);
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('screen-scan').waitFor();
    await text(page.locator('.who-name')).toBe('Sam Supervisor');
    await text(page.getByTestId('scanner-pill')).toContain('1/1');
  });

  it('links a parent and 30 children from the pty, flashes, counts, and refuses the 31st until acknowledged', async () => {
    station.scan('SB00001');
    await page.locator('[data-testid="flash"][data-kind="parent"]').waitFor({ state: 'attached' });
    await text(page.getByTestId('active-parent')).toBe('SB00001');
    await checkScreen(page, '02-scan-parent', true);
    station.scan(children[0]!);
    await page.locator('[data-testid="flash"][data-kind="ok"]').waitFor({ state: 'attached' });
    await text(page.getByTestId('parent-count')).toBe('1 / 30');
    await screenshot(page, '03-flash-ok');
    for (const child of children.slice(1, 30)) station.scan(child);
    await text(page.getByTestId('parent-count')).toBe('30 / 30');
    await page.locator('[data-testid="flash"][data-kind="full"]').waitFor({ state: 'attached' });
    await screenshot(page, '04-parent-full');

    station.scan(children[30]!);
    const error = page.locator('[data-testid="flash"][data-kind="error"][data-shown="true"]');
    await error.waitFor();
    await text(error).toContain(children[30]!);
    await screenshot(page, '05-flash-refused');
    // A following good read cannot hide the error unseen.
    station.scan(children[5]!);
    await text(page.getByTestId('reads').locator('li').first()).toContain(children[5]!);
    expect(await error.count()).toBe(1);
    await checkScreen(page, '05b-flash-refused-axe', true);
    // The ACK command barcode, scanned on the serial scanner, acknowledges it.
    station.scan('CMD-ACK');
    await page.locator('[data-testid="flash"][data-shown="true"]').waitFor({ state: 'detached' });
    // A tap does too.
    station.scan('CHILD032');
    await text(error).toContain('CHILD032');
    await page.locator('.flash-ack').click();
    await page.locator('[data-testid="flash"][data-shown="true"]').waitFor({ state: 'detached' });
    await text(page.getByTestId('parent-count')).toBe('30 / 30');
  });

  it('undoes the last link, and a keyboard-wedge scan ending in Enter never clicks the focused button', async () => {
    await page.getByTestId('undo').click();
    await text(page.getByTestId('parent-count')).toBe('29 / 30');
    await page.locator('[data-testid="flash"][data-icon="undo"]').waitFor({ state: 'attached' });
    await page.getByTestId('undo').focus();
    await page.keyboard.type(children[29]!);
    await page.keyboard.press('Enter');
    await text(page.getByTestId('parent-count')).toBe('30 / 30');
    await checkScreen(page, '06-scan-after-undo');
  });

  it('builds a bill, puts the parent on it and completes it under capacity with a warning', async () => {
    await openScreen(page, 'bills');
    await checkScreen(page, '07-bills');
    const form = page.getByTestId('create-bill');
    await form.locator('input[name="billNo"]').fill('B-1001');
    await form.locator('input[name="destination"]').fill('Chennai hub');
    await form.locator('input[name="vehicleNo"]').fill('TN01AB1234');
    await form.locator('input[name="capacity"]').fill('2');
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('bill-detail').waitFor();
    await page.locator('input[name="parent"]').fill('SB00001');
    await page.locator('input[name="parent"]').press('Enter');
    await text(page.getByTestId('bill-parents')).toBe('1/2');
    await page.getByTestId('complete-bill').click();
    await page.locator('.warning').waitFor();
    await checkScreen(page, '08-bill-under-capacity');
    await page.locator('.warning .button-primary').click();
    await text(page.getByTestId('bill-status')).toBe('Completed');
    await checkScreen(page, '09-bill-completed');
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'CSV' }).click(),
    ]);
    expect(file.suggestedFilename()).toMatch(/B-1001.*\.csv$/);
  });

  it('looks a bag up, with its parent and bill, and offers a near miss for an unknown code', async () => {
    await openScreen(page, 'lookup');
    await page.locator('input[name="code"]').fill(children[3]!);
    await page.locator('input[name="code"]').press('Enter');
    const story = page.getByTestId('story');
    await text(story).toContain('SB00001');
    await text(story).toContain('B-1001');
    await checkScreen(page, '10-lookup');
    await page.locator('input[name="code"]').fill('SB1');
    await page.locator('input[name="code"]').press('Enter');
    await text(page.getByTestId('lookup-unknown')).toContain('SB00001');
    await screenshot(page, '11-lookup-did-you-mean');
  });

  it('shows the other supervisor screens without serious accessibility problems', async () => {
    for (const id of ['dashboard', 'conflicts', 'audit', 'barcodes']) {
      await openScreen(page, id);
      await page.waitForLoadState('networkidle');
      await checkScreen(page, `12-${id}`);
    }
    expect(await page.getByTestId('command-sheet').locator('img.barcode').count()).toBe(5);
  });

  it('gives an admin the users and settings screens, with the scanner live', async () => {
    await logOut(page);
    await logInWithPassword(page, people.admin);
    await openScreen(page, 'users');
    await text(page.getByTestId('users')).toContain('Dina Dock');
    await checkScreen(page, '13-users');
    await page
      .getByTestId('users')
      .locator('tr', { hasText: 'Dina Dock' })
      .getByRole('button', { name: 'Issue badge' })
      .click();
    await expect.poll(() => page.getByTestId('badge-card').locator('img.barcode').count(), wait).toBe(1);
    await checkScreen(page, '13b-badge');
    await page.getByRole('button', { name: 'Back' }).click();
    await openScreen(page, 'settings');
    await text(page.getByTestId('scanners')).toContain('Ready');
    await checkScreen(page, '14-settings');
  });

  it('switches to Hindi, and a dock worker sees no supervisor screens', async () => {
    await page.locator('.header [data-lang="hi"]').click();
    await expect.poll(() => page.locator('html').getAttribute('lang'), wait).toBe('hi');
    await text(page.locator('[data-screen="settings"]')).toBe('सेटिंग्स');
    await logOut(page);
    await checkScreen(page, '15-login-hindi');
    await logInWithPassword(page, people.dock);
    const tabs = await page
      .locator('nav [data-screen]')
      .evaluateAll((els) => els.map((e) => e.getAttribute('data-screen')));
    expect(tabs).toEqual(['scan', 'lookup']);
    await text(page.getByTestId('screen-scan')).toContain('चालू पैरेंट बैग');
    await checkScreen(page, '16-dock-scan-hindi');
    await page.locator('.header [data-lang="en"]').click();
  });
});
