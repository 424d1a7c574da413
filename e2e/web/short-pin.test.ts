import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { hashSecret } from '../../src-main/auth/passwords.ts';
import { seriousViolations } from './browser.ts';
import { startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';

const wait = { timeout: 20_000, interval: 50 };

/**
 * A PIN set before PINs had to be 6 digits: the right short PIN is not refused for good, it asks for a new PIN
 * on the login screen and logs in with it; from then on only the new PIN opens the station.
 */
describe('a short PIN in Chromium', () => {
  let station: WebStation;
  let page: Page;

  beforeAll(async () => {
    station = await startWebStation();
    page = station.page;
    // Dina's badge and a 4-digit PIN, as an older version let an admin set them.
    const db = new Database(join(station.dataDir, 'station.db'));
    db.prepare(`update users set badge_code = 'BADGEDINA1', pin_hash = ? where username = 'dina'`).run(
      await hashSecret('4321'),
    );
    db.close();
    await page.locator('#login-title').waitFor({ timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await station?.close();
  });

  const logIn = async (pin: string) => {
    await page.locator('input[name="badge"]').fill('BADGEDINA1');
    await page.locator('input[name="pin"]').fill(pin);
    await page.locator('button[type="submit"]').click();
  };

  it('asks for a new PIN of 6 digits, checks it was typed twice alike, and logs in with it', async () => {
    await logIn('4321');
    await expect
      .poll(() => page.locator('.error-line').textContent(), wait)
      .toMatch(/shorter than 6 digits: choose a new PIN/);
    const newPin = page.locator('input[name="newPin"]');
    const again = page.locator('input[name="newPinAgain"]');
    await newPin.fill('246813');
    await again.fill('246831');
    await page.locator('button[type="submit"]').click();
    await expect.poll(() => page.locator('.error-line').textContent(), wait).toMatch(/two new PINs differ/);
    expect(await seriousViolations(page)).toEqual([]);
    await again.fill('246813');
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('screen-scan').waitFor();
    await expect.poll(() => page.locator('.who-name').textContent(), wait).toBe('Dina Dock');

    await page.locator('.who button').click();
    await page.locator('#login-title').waitFor();
    await logIn('4321');
    await expect.poll(() => page.locator('.error-line').textContent(), wait).toMatch(/badge or PIN/i);
    await logIn('246813');
    await page.getByTestId('screen-scan').waitFor();
  });
});
