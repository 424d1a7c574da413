import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { startPtyPair } from '../../src-main/scanner/pty-pair.ts';
import { startScaleSim, type ScaleSim } from '../../src-main/scale/sim.ts';

const wait = { timeout: 20_000, interval: 100 };
const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Adversarial (issue 16, break2): the serial scanner keeps working under the orange flash; the next parent
 * completed must not take the flash of the previous one (still unacknowledged) away. Chromium against `baglink serve`, the scale simulator on a pty.
 */
describe('break: the orange weight flash and the next parent', () => {
  let station: WebStation;
  let page: Page;
  let sim: ScaleSim;
  let simDir: string;
  const weightFlash = () => page.locator('[data-testid="flash"][data-kind="weight"][data-shown="true"]');

  const login = async (who: { username: string; password: string }) => {
    await page.locator('#login-title').waitFor({ timeout: 120_000 });
    await page.getByRole('button', { name: /Username \+ password|यूज़रनेम \+ पासवर्ड/ }).click();
    await page.locator('input[name="username"]').fill(who.username);
    await page.locator('input[name="password"]').fill(who.password);
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('screen-scan').waitFor();
  };

  beforeAll(async () => {
    station = await startWebStation();
    page = station.page;
    simDir = mkdtempSync(join(tmpdir(), 'baglink-break2-sim-'));
    const pair = await startPtyPair(simDir);
    sim = await startScaleSim({
      port: pair.scanner,
      protocol: 'sics',
      kg: 0,
      unstableMs: 0,
      overload: false,
      unit: 'kg',
    });
    const must = async (method: string, args: unknown) => {
      const answer = await station.served.call(method, args);
      if (!answer.ok) throw new Error(`${method} failed: ${answer.error?.message}`);
    };
    await must('auth.login', people.admin);
    // 3 bags of 1 kg in a 0.5 kg bag: 3.5 kg expected; 2.4 kg is about one bag missing.
    await must('settings.update', {
      profile: { parentCapacity: 3, weightToleranceKg: 0.2, weightTolerancePct: 1 },
    });
    await must('hardware.configure', { scale: { path: pair.station, protocol: 'sics', pollMs: 100 } });
    await must('auth.logout', {});
    await login(people.dock);
    // The station opens the pty a moment after it starts: scan the parent until it shows.
    for (let i = 0; i < 30; i++) {
      station.scan('SB00001');
      await pause(1000);
      if ((await page.getByTestId('active-parent').textContent()) === 'SB00001') break;
    }
    for (let i = 1; i <= 3; i++) station.scan(`CHILD00${i}`);
    await pause(500);
    sim.set({ kg: 2.4 });
    await weightFlash().waitFor({ timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await sim?.stop();
    await station?.close();
    if (simDir) rmSync(simDir, { recursive: true, force: true });
  });

  it('the next parent scanned under the flash is refused, and the unacknowledged flash of SB00001 stays up, also after a reload', async () => {
    sim.set({ kg: 0 });
    await pause(500);
    station.scan('SB00002');
    await pause(300);
    for (let i = 4; i <= 6; i++) station.scan(`CHILD00${i}`);
    await pause(500);
    sim.set({ kg: 3.5 });
    // By design (lead's fix) no other parent starts while a weight waits for a supervisor: SB00002 never
    // becomes a bag, so it cannot be weighed and replace SB00001's flash.
    await expect
      .poll(async () => {
        const answer = await station.served.call('bags.lookup', { code: 'SB00002' });
        return answer.ok ? (answer.value as { bag: unknown }).bag : 'refused';
      }, wait)
      .toBeNull();
    await pause(2500);
    await page.setViewportSize({ width: 1024, height: 768 });
    await page.screenshot({ path: 'test-results/screenshots/break2-next-parent-flash-gone-1024x768.png' });
    expect.soft(await weightFlash().count(), 'right after SB00002 was weighed').toBe(1);
    await page.reload();
    await page.getByTestId('screen-scan').waitFor({ timeout: 30_000 });
    await pause(2000);
    expect.soft(await weightFlash().count(), 'after a reload').toBe(1);
  });
});
