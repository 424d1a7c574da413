import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { people, type WebStation } from '../../src-main/bench/web-station.ts';
import { pause, startWeightFlashStation, type WeightFlashStation } from './weight-flash-station.ts';

const wait = { timeout: 20_000, interval: 100 };

/**
 * Adversarial (issue 16, break2): the orange weight flash against a dock worker who wants it gone, and the
 * gloves-at-2-m size of what is on it. Chromium against `baglink serve`, the scale simulator on a pty.
 */
describe('break: the orange weight flash', () => {
  let h: WeightFlashStation;
  let station: WebStation;
  let page: Page;
  let weightFlash: WeightFlashStation['weightFlash'];
  let login: WeightFlashStation['login'];

  beforeAll(async () => {
    h = await startWeightFlashStation();
    ({ station, page, weightFlash, login } = h);
  }, 180_000);

  afterAll(async () => {
    await h?.close();
  });

  it('screenshots at 1280x800 and 1024x768 (looked at by hand)', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await screenshot(page, 'break2-weight-flash-1280x800');
    await page.setViewportSize({ width: 1024, height: 768 });
    await screenshot(page, 'break2-weight-flash-1024x768');
    await page.getByTestId('weight-ack-open').click();
    await screenshot(page, 'break2-weight-ack-form-1024x768');
    await page.getByRole('button', { name: /Cancel|रद्द/ }).click();
  });

  it('the ack buttons are big enough for a gloved finger (at least 48 x 48 CSS px)', async () => {
    const box = await page.getByTestId('weight-ack-open').boundingBox();
    expect(box?.height ?? 0).toBeGreaterThanOrEqual(48);
    expect(box?.width ?? 0).toBeGreaterThanOrEqual(48);
  });

  it('a dock worker cannot clear it: tap, Escape, CMD-ACK typed, CMD-ACK scanned', async () => {
    await page.locator('[data-testid="flash"]').click({ position: { x: 20, y: 20 } });
    await page.keyboard.press('Escape');
    await page.keyboard.type('CMD-ACK\n', { delay: 10 });
    station.scan('CMD-ACK');
    await pause(1500);
    expect(await weightFlash().count()).toBe(1);
  });

  it('the supervisor badge scanned on the serial scanner fills the form, is no bag', async () => {
    await page.getByTestId('weight-ack-open').click();
    station.scan(people.supervisor.badge);
    await expect
      .poll(() => page.locator('input[name="ackBadge"]').inputValue(), wait)
      .toBe(people.supervisor.badge);
    const look = await station.served.call('bags.lookup', { code: people.supervisor.badge });
    // Not linked anywhere, and no bag was made of it.
    expect(JSON.stringify(look.value ?? look.error)).not.toMatch(/SB00001/);
    await page.getByRole('button', { name: /Cancel|रद्द/ }).click();
  });

  it('it comes back after a reload', async () => {
    await page.reload();
    await page.getByTestId('screen-scan').waitFor({ timeout: 30_000 });
    await weightFlash().waitFor({ timeout: 20_000 });
  });

  it('the Hindi flash shows no English and no raw keys (switched while it is up, and after a reload)', async () => {
    const english = /[a-z]{3,}\.[a-zA-Z]{3,}|\b(bags?|missing|Supervisor|badge|Cancel|Acknowledge|Call)\b/;
    // The header's language switch is under the flash: pressed through the DOM.
    await page.evaluate(`document.querySelector('[data-lang="hi"]').click()`);
    await pause(500);
    const switched = (await weightFlash().textContent()) ?? '';
    await screenshot(page, 'break2-weight-flash-hindi');
    await page.reload();
    await weightFlash().waitFor({ timeout: 20_000 });
    const reloaded = (await weightFlash().textContent()) ?? '';
    await screenshot(page, 'break2-weight-flash-hindi-reloaded');
    await page.getByTestId('weight-ack-open').click();
    const form = (await page.getByTestId('weight-ack-form').textContent()) ?? '';
    await screenshot(page, 'break2-weight-ack-form-hindi');
    await page.evaluate(`document.querySelector('.weight-ack-buttons button[type="button"]')?.click();
      document.querySelector('[data-lang="en"]').click();`);
    await pause(500);
    expect.soft(switched, 'switched to Hindi while the flash is up').not.toMatch(english);
    expect.soft(reloaded, 'reloaded in Hindi').not.toMatch(english);
    expect.soft(form, 'the supervisor form in Hindi').not.toMatch(english);
  });

  it('the ack form buttons are 48 px targets too (Cancel, Badge + PIN / Username + password)', async () => {
    await page.getByTestId('weight-ack-open').click();
    const sizes: Record<string, { w: number; h: number }> = {};
    for (const [name, locator] of [
      ['cancel', page.getByRole('button', { name: /Cancel/ })],
      ['byBadge', page.getByRole('button', { name: /Badge \+ PIN/ })],
      ['byPassword', page.getByRole('button', { name: /Username \+ password/ })],
      ['submit', page.getByTestId('weight-ack-submit')],
    ] as const) {
      const box = await locator.boundingBox();
      sizes[name] = { w: Math.round(box?.width ?? 0), h: Math.round(box?.height ?? 0) };
    }
    await page.getByRole('button', { name: /Cancel/ }).click();
    for (const [name, size] of Object.entries(sizes))
      expect.soft(Math.min(size.w, size.h), `${name} ${JSON.stringify(size)}`).toBeGreaterThanOrEqual(48);
  });

  it('after a logout (CMD-LOGOUT) with the flash up, the login screen can still be used', async () => {
    station.scan('CMD-LOGOUT');
    await page.locator('#login-title').waitFor({ timeout: 20_000 });
    await pause(500);
    await screenshot(page, 'break2-weight-flash-logged-out');
    // What a finger on the login's first button hits: the login, not the orange flash lying over it.
    const hit = await page.evaluate(`(() => {
      const title = document.querySelector('#login-title');
      if (!title) return 'no login title';
      const r = title.getBoundingClientRect();
      const at = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
      return at?.closest('[data-testid="flash"]') ? 'flash' : 'login';
    })()`);
    expect(hit).toBe('login');
  });

  it('a supervisor can acknowledge it with badge + PIN after the next login', async () => {
    // Changed: the flash stands aside on the login screen and returns after login (weights.acknowledge needs a session by design: roles are checked in the core).
    expect(await weightFlash().count()).toBe(0);
    await login(people.dock);
    await weightFlash().waitFor({ timeout: 20_000 });
    await page.getByTestId('weight-ack-open').click();
    await page.locator('input[name="ackBadge"]').fill(people.supervisor.badge);
    await page.locator('input[name="ackPin"]').fill(people.supervisor.pin);
    await page.getByTestId('weight-ack-submit').click();
    await pause(1500);
    await screenshot(page, 'break2-weight-ack-logged-out');
    const error =
      (await page
        .getByTestId('weight-ack-form')
        // Short: once acknowledged the form is gone, and a locator waits for it up to the test's own timeout.
        .textContent({ timeout: 1000 })
        .catch(() => '')) ?? '';
    expect(await weightFlash().count(), `the form says: ${error}`).toBe(0);
  });
});
