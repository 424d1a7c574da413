import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { errorMessages } from '../../src-shared/errors.ts';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';
import { startPtyPair, type PtyPair } from '../../src-main/scanner/pty-pair.ts';
import { startScaleSim, type ScaleSim } from '../../src-main/scale/sim.ts';
import { screenshot, seriousViolations } from './browser.ts';
import { openScreen, scanAll, setLanguage, text, wait } from './office-helpers.ts';

const audioHook = fileURLToPath(new URL('./audio-hook.js', import.meta.url));
const orange = '[data-testid="flash"][data-kind="weight"][data-shown="true"]';
const children = (from: number, n: number) =>
  Array.from({ length: n }, (_, i) => `CHILD${String(from + i).padStart(4, '0')}`);

/** A keyboard-wedge scanner: fast keys, then Enter. */
async function keyboardScan(page: Page, code: string) {
  await page.keyboard.type(code, { delay: 4 });
  await page.keyboard.press('Enter');
}

/**
 * The weight check end to end: a real `baglink serve` reading a scale simulator on a socat pty (MT-SICS), a dock
 * worker's screen in Chromium. A parent 2 bags light gets the orange flash naming the gap, which the dock worker
 * cannot clear (tap, ACK from either scanner, a reload), a wrong badge PIN is refused with the catalogue sentence,
 * a supervisor's badge (scanned on the keyboard scanner) and PIN clears it, and the audit trail says who.
 */
describe('the weight check on the dock screen', () => {
  let station: WebStation;
  let scalePty: PtyPair;
  let scale: ScaleSim;
  let page: Page;
  const played = () => page.evaluate(() => (globalThis as unknown as { played: string[] }).played.slice());
  const must = async (method: string, args: unknown) => {
    const answer = await station.served.call(method, args);
    if (!answer.ok) throw new Error(`${method}: ${answer.error?.message}`);
    return answer.value;
  };

  beforeAll(async () => {
    station = await startWebStation();
    const dir = join(station.dataDir, 'scale-pty');
    mkdirSync(dir);
    scalePty = await startPtyPair(dir);
    // 10 children at 1 kg in a 0.5 kg bag: 10.5 kg expected, 1.5 kg tolerance; 8.4 kg is about 2 bags missing.
    // The scale starts empty: a bag reaches it after its parent is completed.
    scale = await startScaleSim({
      port: scalePty.scanner,
      protocol: 'sics',
      kg: 0,
      unstableMs: 0,
      overload: false,
      unit: 'kg',
    });
    await must('auth.login', people.admin);
    await must('settings.update', {
      profile: {
        childWeightKg: 1,
        parentTareKg: 0.5,
        weightToleranceKg: 1.5,
        weightTolerancePct: 5,
        weighMinKg: 2,
        weighTimeoutMs: 4000,
      },
    });
    await must('hardware.configure', {
      scale: { path: scalePty.station, name: 'Platform scale', protocol: 'sics' },
    });
    await station.page.close();
    const context = await station.browser.newContext({ viewport: { width: 1366, height: 768 } });
    await context.addInitScript({ path: audioHook });
    page = await context.newPage();
    await page.goto(`${station.served.url}/#token=e2e-token-0123456789abcdef`);
    await must('auth.login', people.dock);
    await page.getByTestId('screen-scan').waitFor({ timeout: 30_000 });
    // Not expect.poll: it is only for tests, and this is the suite's set-up.
    await page.getByTestId('scanner-pill').filter({ hasText: '1/1' }).waitFor({ timeout: 30_000 });
    await page.getByTestId('scale-chip').filter({ hasText: 'Scale ready' }).waitFor({ timeout: 30_000 });
  }, 180_000);

  afterAll(async () => {
    await scale?.stop();
    await station?.close();
  });

  it('shows an orange flash naming the gap, with its own sound, that a dock worker cannot clear', async () => {
    await scanAll(station, page, ['SB10001', ...children(1, 10)]);
    const before = (await played()).length;
    station.scan('CMD-COMPLETE');
    await expect.poll(() => page.getByTestId('weighing').getAttribute('data-phase'), wait).toBe('waiting');
    scale.set({ kg: 8.4, unstableMs: 300 });
    await page.locator(orange).waitFor({ state: 'attached', timeout: 20_000 });
    const flash = page.locator(orange);
    expect(await flash.locator('.flash-code').textContent()).toBe('SB10001');
    expect(await flash.locator('.flash-message').textContent()).toBe(
      'about 2 bags missing: 8.4 kg for 10 bags',
    );
    expect(await flash.getAttribute('data-icon')).toBe('weight');
    await expect.poll(async () => (await played()).slice(before), wait).toContain('weight');
    await screenshot(page, 'weight-off-dock-1366-en');
    expect(await seriousViolations(page), 'axe on the orange flash').toEqual([]);

    // A tap, ACK on the keyboard scanner, ACK on the serial scanner: the flash stays.
    await flash.locator('.flash-title').click();
    await keyboardScan(page, 'CMD-ACK');
    station.scan('CMD-ACK');
    await text(page.getByTestId('reads').locator('li').first()).toContain('CMD-ACK');
    expect(await page.locator(orange).count()).toBe(1);
    // The station holds it, not the page: a reload shows it again.
    await page.reload();
    await page.locator(orange).waitFor({ state: 'attached', timeout: 20_000 });
    expect(await page.locator(orange).locator('.flash-message').textContent()).toContain(
      'about 2 bags missing',
    );
    // The scan screen under it says what the station recorded.
    const panel = page.getByTestId('weighing');
    expect(await panel.getAttribute('data-phase')).toBe('off');
    expect(await panel.getByTestId('weighing-kg').textContent()).toBe('8.4 kg');
  }, 90_000);

  it('refuses a wrong PIN with the catalogue sentence, and clears on a supervisor badge and PIN', async () => {
    await page.getByTestId('weight-ack-open').click();
    const form = page.getByTestId('weight-ack-form');
    await form.locator('input[name="ackBadge"]').waitFor();
    // The supervisor scans the badge on the serial scanner (no parent is active: the station refuses it as a
    // bag, no red flash): it fills the badge field.
    station.scan(people.supervisor.badge);
    await expect
      .poll(() => form.locator('input[name="ackBadge"]').inputValue(), wait)
      .toBe(people.supervisor.badge);
    await form.locator('input[name="ackPin"]').fill('000000');
    await page.getByTestId('weight-ack-submit').click();
    await text(form.locator('.error-line')).toBe(errorMessages.bad_badge);
    expect(await page.locator(orange).count()).toBe(1);
    await screenshot(page, 'weight-off-wrong-pin-1366-en');
    // Again on the keyboard-wedge scanner: it fills the badge field too.
    await form.locator('input[name="ackBadge"]').fill('');
    await form.locator('input[name="ackBadge"]').focus();
    await keyboardScan(page, people.supervisor.badge);
    await expect
      .poll(() => form.locator('input[name="ackBadge"]').inputValue(), wait)
      .toBe(people.supervisor.badge);

    await form.locator('input[name="ackPin"]').fill(people.supervisor.pin);
    await page.getByTestId('weight-ack-submit').click();
    await page.locator(orange).waitFor({ state: 'detached', timeout: 20_000 });
    // The serial badge read queued no red flash behind the orange one.
    expect(await page.locator('[data-testid="flash"][data-shown="true"]').count()).toBe(0);
    const story = await station.served.call('bags.lookup', { code: 'SB10001' });
    expect(story.value.weight).toMatchObject({ check: 'off', acknowledgedBy: people.supervisor.username });
    // Still the dock worker's session: the supervisor only confirmed.
    await text(page.locator('.who-name')).toBe('Dina Dock');
  }, 60_000);

  it('lists the acknowledgement in the audit trail and the weight in look-up', async () => {
    await must('auth.login', { username: people.supervisor.username, password: people.supervisor.password });
    await text(page.locator('.who-name')).toBe('Sam Supervisor');
    await openScreen(page, 'audit');
    const audit = page.getByTestId('audit');
    await text(audit).toContain('checked and accepted the weight of parent SB10001');
    await openScreen(page, 'lookup');
    await page.locator('input[name="code"]').fill('SB10001');
    await page.locator('input[name="code"]').press('Enter');
    await text(page.getByTestId('parent-weight-kg')).toBe('8.4 kg');
    await text(page.getByTestId('parent-weight-ack')).toContain(people.supervisor.username);
    await screenshot(page, 'weight-lookup-1366-en');
  }, 60_000);

  it('offers "Weigh again" and "Weigh later" when the scale gives no weight', async () => {
    await must('auth.login', people.dock);
    await openScreen(page, 'scan');
    // SB10001 comes off the scale (the station weighs the next bag only once the last one has gone), then a
    // bag dropped too hard keeps it overloaded.
    scale.set({ kg: 0 });
    await text(page.getByTestId('scale-chip')).toBe('Scale ready · 0 kg');
    scale.set({ overload: true });
    await scanAll(station, page, ['SB10002', ...children(11, 10)]);
    station.scan('CMD-COMPLETE');
    const panel = page.getByTestId('weighing');
    await expect.poll(() => panel.getAttribute('data-phase'), { ...wait, timeout: 30_000 }).toBe('refused');
    expect(await page.getByTestId('weighing-why').textContent()).not.toBe('');
    await screenshot(page, 'weight-refused-1366-en');
    // Back on the scale, settled: weigh again takes it, within tolerance.
    scale.set({ overload: false, kg: 10.6 });
    await page.getByTestId('weigh-again').click();
    await expect.poll(() => panel.getAttribute('data-phase'), { ...wait, timeout: 30_000 }).toBe('recorded');
    await text(page.getByTestId('weighing-kg')).toBe('10.6 kg');
    expect(await page.locator(orange).count()).toBe(0);

    scale.set({ kg: 0 });
    await text(page.getByTestId('scale-chip')).toBe('Scale ready · 0 kg');
    scale.set({ overload: true });
    await scanAll(station, page, ['SB10003', ...children(21, 10)]);
    station.scan('CMD-COMPLETE');
    await expect.poll(() => panel.getAttribute('data-phase'), { ...wait, timeout: 30_000 }).toBe('refused');
    await page.getByTestId('weigh-later').click();
    await expect.poll(() => panel.getAttribute('data-phase'), wait).toBe('later');
    const story = await station.served.call('bags.lookup', { code: 'SB10003' });
    expect(story.value.weight.state).toBe('later');
  }, 120_000);

  it('marks each parent weight of a bill and the total as estimated while one is not weighed', async () => {
    await must('auth.login', { username: people.supervisor.username, password: people.supervisor.password });
    await must('bills.create', { billNo: 'B-16', destination: 'Pune', vehicleNo: 'MH12AB1616', capacity: 2 });
    await must('bills.addParent', { billNo: 'B-16', parent: 'SB10002' });
    await must('bills.addParent', { billNo: 'B-16', parent: 'SB10003' });
    await openScreen(page, 'bills');
    await page.getByRole('button', { name: 'B-16' }).click();
    await page.getByTestId('bill-detail').waitFor();
    const weights = page.getByTestId('bill-parent-weight');
    await expect.poll(() => weights.count(), wait).toBe(2);
    expect(await weights.nth(0).getAttribute('data-state')).toBe('recorded');
    expect(await weights.nth(0).textContent()).toContain('10.6 kg');
    expect(await weights.nth(1).getAttribute('data-state')).toBe('later');
    expect(await weights.nth(1).textContent()).toContain('Weigh later');
    expect(await page.getByTestId('bill-weight').getAttribute('data-estimated')).toBe('true');
    expect(await page.getByTestId('bill-weight').textContent()).toContain('Estimated');
    await screenshot(page, 'weight-bill-1366-en');
    // The dashboard counts them: one off (checked), one put off.
    await openScreen(page, 'dashboard');
    const tiles = page.getByTestId('dash-weights').locator('.tile-value');
    await expect.poll(() => tiles.count(), wait).toBe(5);
    const [, off, unacknowledged, later] = await tiles.allTextContents();
    expect({ off, unacknowledged, later }).toEqual({ off: '1', unacknowledged: '0', later: '1' });
  }, 60_000);

  it('lets a logged-in supervisor acknowledge with one button', async () => {
    await openScreen(page, 'scan');
    scale.set({ overload: false, kg: 0 });
    await text(page.getByTestId('scale-chip')).toBe('Scale ready · 0 kg');
    await scanAll(station, page, ['SB10004', ...children(31, 10)]);
    await page.getByTestId('complete-parent').click();
    // The bag reaches the scale after its last child. 10 bags and a 0.5 kg bag, 13.1 kg: about 3 bags too many.
    await expect.poll(() => page.getByTestId('weighing').getAttribute('data-phase'), wait).toBe('waiting');
    scale.set({ kg: 13.1 });
    await page.locator(orange).waitFor({ state: 'attached', timeout: 20_000 });
    expect(await page.locator(orange).locator('.flash-message').textContent()).toBe(
      'about 3 bags too many: 13.1 kg for 10 bags',
    );
    expect(await page.getByTestId('weight-ack-open').count()).toBe(0);
    await page.getByTestId('weight-ack-self').click();
    await page.locator(orange).waitFor({ state: 'detached', timeout: 20_000 });
    const story = await station.served.call('bags.lookup', { code: 'SB10004' });
    expect(story.value.weight).toMatchObject({ check: 'off', acknowledgedBy: people.supervisor.username });
    await text(page.getByTestId('weighing-note')).toBe(`Checked by ${people.supervisor.username}.`);
    expect(await page.getByTestId('weighing-title').textContent()).toBe(
      'Parent SB10004: weight off, checked by a supervisor',
    );
  }, 60_000);

  it('counts down while it waits for the bag, shows what the scale reads, then records it', async () => {
    scale.set({ kg: 0 });
    await text(page.getByTestId('scale-chip')).toBe('Scale ready · 0 kg');
    await scanAll(station, page, ['SB10005', ...children(41, 10)]);
    await page.getByTestId('complete-parent').click();
    const panel = page.getByTestId('weighing');
    await expect.poll(() => panel.getAttribute('data-phase'), wait).toBe('waiting');
    expect(await page.getByTestId('weighing-title').textContent()).toBe('Put parent SB10005 on the scale');
    expect(await page.getByTestId('weighing-countdown').textContent()).toMatch(/^[1-4] s left$/);
    await text(page.getByTestId('weighing-live')).toBe('0 kg');
    await screenshot(page, 'weight-waiting-1366-en');
    scale.set({ kg: 10.4 });
    await expect.poll(() => panel.getAttribute('data-phase'), wait).toBe('recorded');
    await text(page.getByTestId('weighing-kg')).toBe('10.4 kg');
    await text(page.getByTestId('weighing-check')).toBe('as expected (10.5 kg)');
    // Scanned again, the parent is open for changes: its weight no longer counts, and look-up says so.
    await scanAll(station, page, ['SB10005']);
    await openScreen(page, 'lookup');
    await page.locator('input[name="code"]').fill('SB10005');
    await page.locator('input[name="code"]').press('Enter');
    const mark = page.getByTestId('parent-weight').getByTestId('weight-mark');
    await expect.poll(() => mark.getAttribute('data-state'), wait).toBe('stale');
    expect(await mark.textContent()).toBe('Stale: changed after weighing');
    await text(page.getByTestId('parent-weight-kg')).toBe('10.4 kg');
  }, 60_000);

  it('names the gap in Hindi on a Hindi screen', async () => {
    await openScreen(page, 'scan');
    await setLanguage(page, 'hi');
    scale.set({ kg: 0 });
    await text(page.getByTestId('scale-chip')).toBe('तराज़ू तैयार · 0 kg');
    await scanAll(station, page, ['SB10006', ...children(51, 10)]);
    await page.getByTestId('complete-parent').click();
    await expect.poll(() => page.getByTestId('weighing').getAttribute('data-phase'), wait).toBe('waiting');
    scale.set({ kg: 8.4 });
    await page.locator(orange).waitFor({ state: 'attached', timeout: 20_000 });
    expect(await page.locator(orange).locator('.flash-message').textContent()).toBe(
      'लगभग 2 बैग कम: 10 बैग के लिए 8.4 किलो',
    );
    await screenshot(page, 'weight-off-supervisor-1366-hi');
    await page.getByTestId('weight-ack-self').click();
    await page.locator(orange).waitFor({ state: 'detached', timeout: 20_000 });
    await screenshot(page, 'weight-checked-1366-hi');
    await setLanguage(page, 'en');
  }, 60_000);
});
