import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { logIn, openScreen, scanAll, scannerReady, shotMatrix, text } from './office-helpers.ts';
import { people, startWebStation, type WebStation } from './web-station.ts';

/** A supervisor moves and removes child bags from the look-up and bill screens, with a reason on record. */
describe('supervisor move and remove in Chromium', () => {
  let station: WebStation;
  let page: Page;

  beforeAll(async () => {
    station = await startWebStation();
    page = station.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.locator('#login-title').waitFor({ timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await station?.close();
  });

  it('a supervisor logs in and fills two parents from the pty scanner', async () => {
    await logIn(page, people.supervisor);
    await scannerReady(page);
    await scanAll(station, page, ['SB00001', 'CHILD001', 'CHILD002', 'CHILD003', 'SB00002', 'CHILD004']);
  });

  it('moves a child from the look-up screen, refusing first without a reason', async () => {
    await openScreen(page, 'lookup');
    await page.locator('input[name="code"]').fill('CHILD002');
    await page.locator('input[name="code"]').press('Enter');
    await text(page.getByTestId('story')).toContain('SB00001');
    await page.getByTestId('edit-child').click();
    const edit = page.getByTestId('child-edit');
    await edit.locator('input[name="toParent"]').fill('SB00002');
    await text(page.getByTestId('move-child')).toBe('Move CHILD002 to SB00002');
    await page.getByTestId('move-child').click();
    await text(edit.locator('.error-line')).toContain('Say why');
    await edit.locator('input[name="reason"]').fill('Scanned into the wrong parent');
    await shotMatrix(page, 'office-lookup-move');
    await page.getByTestId('move-child').click();
    await text(page.getByTestId('lookup-done')).toBe('CHILD002 moved from SB00001 to SB00002.');
    await text(page.getByTestId('story')).toContain('SB00002');

    const parents = await Promise.all(
      ['SB00001', 'SB00002'].map(async (code) => (await station.served.call('bags.lookup', { code })).value),
    );
    expect(parents.map((p) => p.bag.childCount)).toEqual([2, 2]);
    const audit = await station.served.call('audit.list', { code: 'CHILD002' });
    const move = audit.value.rows.find((r: { action: string }) => r.action === 'move');
    expect(move.username).toBe(people.supervisor.username);
    expect(move.after).toEqual({
      child: 'CHILD002',
      parent: 'SB00002',
      reason: 'Scanned into the wrong parent',
    });
  });

  it('removes a child from the bill screen with a quick reason', async () => {
    await openScreen(page, 'bills');
    const form = page.getByTestId('create-bill');
    await form.locator('input[name="billNo"]').fill('B-2001');
    await form.locator('input[name="destination"]').fill('Pune hub');
    await form.locator('input[name="vehicleNo"]').fill('MH12AB1234');
    await form.locator('input[name="capacity"]').fill('2');
    await form.locator('button[type="submit"]').click();
    await page.getByTestId('bill-detail').waitFor();
    expect((await station.served.call('bills.addParent', { billNo: 'B-2001', parent: 'SB00002' })).ok).toBe(
      true,
    );
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByText('B-2001').first().click();
    await page.getByTestId('bill-detail').waitFor();
    await page.getByRole('button', { name: 'CHILD004', exact: true }).click();
    const edit = page.getByTestId('child-edit');
    await edit.getByRole('button', { name: 'Bag damaged or torn' }).click();
    await shotMatrix(page, 'office-bill-remove');
    await text(page.getByTestId('remove-child')).toBe('Take CHILD004 out of SB00002');
    await page.getByTestId('remove-child').click();
    await text(page.getByTestId('bill-done')).toBe('CHILD004 taken out of SB00002.');
    await expect
      .poll(async () => (await station.served.call('bags.lookup', { code: 'CHILD004' })).value.parent)
      .toBeNull();
    const audit = await station.served.call('audit.list', { code: 'CHILD004' });
    const unlink = audit.value.rows.find((r: { action: string }) => r.action === 'unlink');
    expect(unlink.after).toEqual({ child: 'CHILD004', parent: null, reason: 'Bag damaged or torn' });
  });

  it('shows the moves in the audit trail as sentences, in English and Hindi', async () => {
    await openScreen(page, 'audit');
    const audit = page.getByTestId('audit');
    await text(audit).toContain(
      'Sam Supervisor moved CHILD002 from SB00001 to SB00002. (reason: Scanned into the wrong parent)',
    );
    await text(audit).toContain('Sam Supervisor took CHILD004 out of SB00002. (reason: Bag damaged or torn)');
    expect(await audit.textContent()).not.toMatch(/links\.|bill\.create|[0-9a-f]{8}-[0-9a-f]{4}|\{"/);
    expect(await audit.locator('td.nowrap').first().textContent()).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/,
    );
    await shotMatrix(page, 'office-audit');
    await page.locator('.header [data-lang="hi"]').click();
    await text(audit).toContain('Sam Supervisor ने CHILD002 को SB00001 से SB00002 में ले जाया।');
    await page.locator('.header [data-lang="en"]').click();
  });

  it('offers a dock worker no move or remove, and the core refuses one sent anyway', async () => {
    await page.locator('.who button').click();
    await page.locator('#login-title').waitFor();
    await logIn(page, people.dock);
    await openScreen(page, 'lookup');
    await page.locator('input[name="code"]').fill('CHILD001');
    await page.locator('input[name="code"]').press('Enter');
    await text(page.getByTestId('story')).toContain('SB00001');
    expect(await page.getByTestId('edit-child').count()).toBe(0);
    const refused = await station.served.call('links.remove', { child: 'CHILD001', reason: 'because' });
    expect(refused.error?.code).toBe('role_required');
  });
});
