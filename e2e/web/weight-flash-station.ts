import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { startPtyPair } from '../../src-main/scanner/pty-pair.ts';
import { startScaleSim, type ScaleSim } from '../../src-main/scale/sim.ts';

export const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface WeightFlashStation {
  station: WebStation;
  page: Page;
  /** The MT-SICS scale simulator on the station's scale port. */
  sim: ScaleSim;
  /** The orange weight flash, when it is on show. */
  weightFlash: () => Locator;
  /** Logs in on the page's login screen with a username and password. */
  login: (who: { username: string; password: string }) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * `baglink serve` in Chromium with a scale simulator on a pty, a dock worker logged in and parent SB00001 (3 bags
 * of 1 kg in a 0.5 kg bag: 3.5 kg expected) weighed at 2.4 kg, about one bag missing: the orange weight flash up.
 */
export async function startWeightFlashStation(): Promise<WeightFlashStation> {
  const station = await startWebStation();
  const page = station.page;
  const simDir = mkdtempSync(join(tmpdir(), 'baglink-break2-sim-'));
  const pair = await startPtyPair(simDir);
  const sim = await startScaleSim({
    port: pair.scanner,
    protocol: 'sics',
    kg: 0,
    unstableMs: 0,
    overload: false,
    unit: 'kg',
  });
  const weightFlash = () => page.locator('[data-testid="flash"][data-kind="weight"][data-shown="true"]');
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (m) => m.type() === 'error' && pageErrors.push(`console: ${m.text()}`));
  const login = async (who: { username: string; password: string }) => {
    // A page that never offers the login says what it shows instead, and what went wrong in it.
    try {
      await page.locator('#login-title').waitFor({ timeout: 60_000 });
    } catch (error) {
      await page
        .screenshot({ path: 'test-results/screenshots/weight-flash-no-login.png' })
        .catch(() => undefined);
      const body = await page
        .locator('body')
        .innerText()
        .catch(() => '?');
      throw new Error(
        `no login screen: page says ${JSON.stringify(body.slice(0, 500))}; errors: ${pageErrors.join(' | ')}`,
        { cause: error },
      );
    }
    await page.getByRole('button', { name: /Username \+ password|यूज़रनेम \+ पासवर्ड/ }).click();
    await page.locator('input[name="username"]').fill(who.username);
    await page.locator('input[name="password"]').fill(who.password);
    await page.locator('button[type="submit"]').click();
    await page.getByTestId('screen-scan').waitFor();
  };
  const must = async (method: string, args: unknown) => {
    const answer = await station.served.call(method, args);
    if (!answer.ok) throw new Error(`${method} failed: ${answer.error?.message}`);
  };
  await must('auth.login', people.admin);
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
  return {
    station,
    page,
    sim,
    weightFlash,
    login,
    async close() {
      await sim.stop();
      await station.close();
      rmSync(simDir, { recursive: true, force: true });
    },
  };
}
