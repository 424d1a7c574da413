import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { FakePrinter } from '../../src-main/printer/testing/fake-printer.ts';

const wait = { timeout: 30_000, interval: 200 };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Adversarial (issue 16, break2): a label the printer never confirmed must stay visible in the header once the
 * printer answers again; the header must not say only "Printer ready". Chromium against `baglink serve`, the
 * printer a TCP listener on loopback that leaves the ~HS after the first label unanswered.
 */
describe('break: the header after a label sent, unconfirmed', () => {
  let station: WebStation;
  let page: Page;
  const printer = new FakePrinter();

  beforeAll(async () => {
    station = await startWebStation();
    page = station.page;
    const port = await printer.listen();
    printer.muteAfterLabel = true;
    const must = async (method: string, args: unknown) => {
      const answer = await station.served.call(method, args);
      if (!answer.ok) throw new Error(`${method} failed: ${answer.error?.message}`);
    };
    await must('auth.login', people.admin);
    await must('settings.update', { profile: { parentCapacity: 2 } });
    await must('hardware.configure', {
      printer: { connection: { kind: 'tcp', host: '127.0.0.1', port }, layout: '100x150mm', dpi: 203 },
    });
    await must('auth.logout', {});
    await page.locator('#login-title').waitFor({ timeout: 30_000 });
    await page.getByRole('button', { name: /Username \+ password/ }).click();
    await page.locator('input[name="username"]').fill(people.dock.username);
    await page.locator('input[name="password"]').fill(people.dock.password);
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('screen-scan').waitFor();
    for (let i = 0; i < 30; i++) {
      station.scan('SB00001');
      await pause(1000);
      if ((await page.getByTestId('active-parent').textContent()) === 'SB00001') break;
    }
  }, 180_000);

  afterAll(async () => {
    await station?.close();
    await printer.close();
  });

  it('one label sent, unconfirmed; the next one prints: the header still says a label needs checking', async () => {
    station.scan('CHILD001');
    station.scan('CHILD002');
    const jobs = async (parent: string) => {
      const answer = await station.served.call('printer.jobs', { parent });
      return answer.ok ? (answer.value as { state: string }[]).map((j) => j.state) : [];
    };
    await expect.poll(() => jobs('SB00001'), wait).toEqual(['sent_unconfirmed']);
    printer.muteAfterLabel = false;
    station.scan('SB00002');
    await pause(300);
    station.scan('CHILD003');
    station.scan('CHILD004');
    await expect.poll(() => jobs('SB00002'), wait).toEqual(['sent']);
    await expect.poll(() => page.getByTestId('printer-chip').getAttribute('data-state'), wait).toBe('ready');
    await page.setViewportSize({ width: 1024, height: 768 });
    await pause(3000); // the parent-full flash fades
    await page.screenshot({ path: 'test-results/screenshots/break2-printer-chip-1024x768.png' });
    await screenshot(page, 'break2-printer-chip-full');
    const chip = (await page.getByTestId('printer-chip').textContent()) ?? '';
    expect(chip).toMatch(/unconfirmed|check/i);
  });
});
