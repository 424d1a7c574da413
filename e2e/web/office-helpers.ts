import { expect } from 'vitest';
import { AxeBuilder } from '@axe-core/playwright';
import type { Locator, Page } from 'playwright-core';
import { screenshot, seriousViolations } from './browser.ts';
import type { WebStation } from '../../src-main/bench/web-station.ts';

export const wait = { timeout: 20_000, interval: 50 };
export const text = (locator: Locator) => expect.poll(async () => (await locator.textContent()) ?? '', wait);

export async function openScreen(page: Page, id: string) {
  await page.locator(`[data-screen="${id}"]`).click();
  await page.getByTestId(`screen-${id}`).waitFor();
}

export async function logIn(page: Page, who: { username: string; password: string }) {
  await page.getByRole('button', { name: /Username \+ password|यूज़रनेम \+ पासवर्ड/ }).click();
  await page.locator('input[name="username"]').fill(who.username);
  await page.locator('input[name="password"]').fill(who.password);
  await page.locator('button[type="submit"]').click();
  await page.getByTestId('screen-scan').waitFor();
}

export async function logOut(page: Page) {
  await page.locator('.who button').click();
  await page.locator('#login-title').waitFor();
}

export async function setLanguage(page: Page, lang: 'en' | 'hi') {
  await page.locator(`.header [data-lang="${lang}"]`).click();
  await expect.poll(() => page.locator('html').getAttribute('lang'), wait).toBe(lang);
}

/** Screenshots of one screen at 1366x768 (and other sizes) in English and Hindi, each checked with axe. */
export async function shotMatrix(
  page: Page,
  name: string,
  sizes: { width: number; height: number }[] = [{ width: 1366, height: 768 }],
) {
  for (const lang of ['en', 'hi'] as const) {
    await setLanguage(page, lang);
    for (const size of sizes) {
      await page.setViewportSize(size);
      await screenshot(page, `${name}-${size.width}-${lang}`);
      expect(await seriousViolations(page), `axe on ${name} ${lang}`).toEqual([]);
      const headings = await new AxeBuilder({ page }).withRules(['page-has-heading-one']).analyze();
      expect(
        headings.violations.map((v) => v.id),
        `top-level heading on ${name}`,
      ).toEqual([]);
    }
  }
  await setLanguage(page, 'en');
}

/** Waits until the station has opened the pty scanner (it does so a moment after it starts). */
export async function scannerReady(page: Page) {
  await text(page.getByTestId('scanner-pill')).toContain('1/1');
}

/** Plays reads into the pty one by one, each waited for in the page's "last reads" list. */
export async function scanAll(station: WebStation, page: Page, codes: string[]) {
  for (const code of codes) {
    station.scan(code);
    await text(page.getByTestId('reads').locator('li').first()).toContain(code);
  }
}
