import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { screenshot } from './browser.ts';
import { logIn, openScreen, scannerReady, text, wait } from './office-helpers.ts';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';

/**
 * A parent read by the serial scanner while a bill is open on the bill screen goes onto that bill in the
 * station (bills.takeReads, onBillRead): it no longer becomes the active parent of the scan screen.
 */
describe('serial parent reads on the bill screen in Chromium', () => {
  let station: WebStation;
  let page: Page;
  const call = async (method: string, args: unknown) => {
    const answer = await station.served.call(method, args);
    expect(answer.ok, `${method}: ${answer.error?.message}`).toBe(true);
    return answer.value;
  };
  const activeParent = async () =>
    ((await call('scan.state', {})) as { activeParent: { code: string } | null }).activeParent?.code ?? null;

  beforeAll(async () => {
    station = await startWebStation();
    page = station.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.locator('#login-title').waitFor({ timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await station?.close();
  });

  it('puts a full parent on the open bill and asks about one not full, the active parent unchanged', async () => {
    await logIn(page, people.supervisor);
    await scannerReady(page);
    const reads = [
      'SB00001',
      ...Array.from({ length: 30 }, (_, i) => `CHILD${String(i + 1).padStart(3, '0')}`),
      'SB00002',
      'CHILD101',
      'CHILD102',
      'SB00009',
      'CHILD109',
    ];
    for (const code of reads) await call('scan.submit', { code });
    await call('bills.create', { billNo: 'B-7', destination: 'Delhi', vehicleNo: 'DL01AB1234', capacity: 2 });
    expect(await activeParent()).toBe('SB00009');

    await openScreen(page, 'bills');
    await page.getByRole('button', { name: 'B-7' }).click();
    await page.getByTestId('bill-detail').waitFor();
    // The station has said the screen holds the serial reads (bills.takeReads answered).
    await page.locator('[data-testid="bill-detail"][data-reads="taken"]').waitFor();

    station.scan('SB00001');
    await text(page.getByTestId('bill-parents')).toBe('1/2');
    await text(page.getByTestId('flash')).toContain('SB00001');
    expect(await activeParent()).toBe('SB00009');
    await page.locator('[data-testid="flash"][data-shown="true"]').waitFor({ state: 'detached' });

    station.scan('SB00002');
    await text(page.getByTestId('not-full')).toContain(
      'Parent SB00002 holds only 2 of 30 bags: it is not full. Put it on bill B-7 anyway?',
    );
    expect(await activeParent()).toBe('SB00009');
    await screenshot(page, 'bill-serial-not-full-1366-en');
    await page.getByRole('button', { name: 'Put SB00002 on the bill' }).click();
    await text(page.getByTestId('bill-parents')).toBe('2/2');
    expect(await activeParent()).toBe('SB00009');
    await page.locator('[data-testid="flash"][data-shown="true"]').waitFor({ state: 'detached' });
    await screenshot(page, 'bill-serial-added-1366-en');
  });

  it('gives the reads back when the bill screen closes: a parent read on the scan screen is active again', async () => {
    await openScreen(page, 'scan');
    // The scan screen reads its state after the bill screen gave the reads back, on the same connection.
    await text(page.getByTestId('active-parent')).toContain('SB00009');
    station.scan('SB00003');
    await expect.poll(activeParent, wait).toBe('SB00003');
    const bill = (await call('bills.get', { billNo: 'B-7' })) as { parentCount: number };
    expect(bill.parentCount).toBe(2);
  });
});
