import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { logIn, openScreen, scanAll, scannerReady, shotMatrix, text } from './office-helpers.ts';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';

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

  it('searches and filters the bills list, which fits at 1366 and 1920 px', async () => {
    const must = async (method: string, args: object) =>
      expect((await station.served.call(method, args)).error).toBeUndefined();
    await must('bills.create', {
      billNo: 'C-3002',
      destination: 'Chennai',
      vehicleNo: 'TN09ZZ4321',
      capacity: 1,
    });
    await must('bills.create', {
      billNo: 'B-3003',
      destination: 'Nagpur depot',
      vehicleNo: 'MH31CD7788',
      capacity: 3,
    });
    await must('bills.complete', { billNo: 'B-3003' });
    await openScreen(page, 'bills');
    const list = page.getByTestId('bills');
    await text(list).toContain('B-3003');
    const filters = page.getByTestId('bill-filters');
    await filters.locator('input[name="search"]').fill('tn09');
    await filters.locator('button[type="submit"]').click();
    await expect.poll(() => list.locator('tbody tr').count()).toBe(1);
    await text(list).toContain('Chennai');
    await filters.locator('input[name="search"]').fill('');
    await filters.locator('select[name="status"]').selectOption('completed');
    await filters.locator('button[type="submit"]').click();
    await expect.poll(() => list.locator('tbody tr').count()).toBe(1);
    await text(list).toContain('Nagpur depot');
    await filters.getByRole('button', { name: 'Show all' }).click();
    await expect.poll(() => list.locator('tbody tr').count()).toBe(3);
    await shotMatrix(page, 'office-bills-list', [
      { width: 1366, height: 768 },
      { width: 1920, height: 1080 },
    ]);
    for (const width of [1366, 1920]) {
      await page.setViewportSize({ width, height: 768 });
      const overflow = await page.evaluate<number>(
        'document.documentElement.scrollWidth - window.innerWidth',
      );
      expect(overflow, `horizontal overflow at ${width}px`).toBeLessThanOrEqual(0);
    }
    await page.setViewportSize({ width: 1366, height: 768 });
  });

  it('asks before a parent that is not full goes on a bill, and warns with numbers when completing short', async () => {
    for (const code of ['SB00003', 'CHILD005']) await station.served.call('scan.submit', { code });
    await page.getByRole('button', { name: 'B-2001' }).click();
    await page.getByTestId('bill-detail').waitFor();
    const input = page.locator('input[name="parent"]');
    await input.fill('SB00001');
    await input.press('Enter');
    await text(page.getByTestId('not-full')).toContain(
      'Parent SB00001 holds only 2 of 30 bags: it is not full. Put it on bill B-2001 anyway?',
    );
    await shotMatrix(page, 'office-bill-not-full');
    await page.getByRole('button', { name: 'Put SB00001 on the bill' }).click();
    await text(page.getByTestId('bill-parents')).toBe('2/2');
    await page.locator('[data-testid="flash"][data-shown="true"]').waitFor({ state: 'detached' });

    // Refused about the typed code: the code stays to be corrected. About something else: the input is cleared.
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'C-3002' }).click();
    await page.getByTestId('bill-detail').waitFor();
    await input.fill('SB00002');
    await input.press('Enter');
    await page.getByRole('button', { name: 'Put SB00002 on the bill' }).click();
    await text(page.locator('.error-line')).toContain('already on bill B-2001');
    expect(await input.inputValue()).toBe('SB00002');
    await page.locator('.flash-ack').click();
    await page.getByRole('button', { name: 'Back' }).click();
    await page.getByRole('button', { name: 'B-2001' }).click();
    await page.getByTestId('bill-detail').waitFor();
    await input.fill('SB00003');
    await input.press('Enter');
    await page.getByRole('button', { name: 'Put SB00003 on the bill' }).click();
    await text(page.locator('.error-line')).toContain('B-2001 is full');
    expect(await input.inputValue()).toBe('');
    await page.locator('.flash-ack').click();

    await page.getByTestId('complete-bill').click();
    await text(page.getByTestId('complete-short')).toContain(
      'This bill is short: 2 of 2 parent bags, 3 kg of 60 kg expected. Complete it anyway?',
    );
    await shotMatrix(page, 'office-bill-short');
    await page.getByRole('button', { name: 'Complete anyway' }).click();
    await text(page.getByTestId('bill-status')).toBe('Completed');
  });

  it('reads a conflict with the centre as a sentence and decides it with a button naming the bag', async () => {
    // As the sync worker records one the centre reported (src-main/sync/local-state.ts), once the centre's
    // correction has taken the child out of this station's parent: only then is "keep the centre's" true here.
    const at = new Date(2026, 0, 15, 17, 34, 5).getTime();
    const db = new Database(join(station.dataDir, 'station.db'));
    db.prepare(
      `insert into sync_conflicts (central_id, seq, op, kind, local, central, created_at) values (?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      77,
      12,
      'link.create',
      'linked_elsewhere',
      JSON.stringify({ linkId: 'a', child: 'CHILD099', parent: 'SB00001', at, by: 'sam', station: 'Dock B' }),
      JSON.stringify({
        linkId: 'b',
        child: 'CHILD099',
        parent: 'SB00007',
        at: at - 2000,
        by: 'dina',
        station: 'Dock A',
      }),
      at,
    );
    db.close();
    await openScreen(page, 'conflicts');
    const sentence = page.getByTestId('conflict-sentence');
    await text(sentence).toBe(
      '17:34:05, Dock B, Sam Supervisor: CHILD099 into SB00001 — the centre already had it in SB00007 from Dock A at 17:34:03 (Dina Dock).',
    );
    const keep = page.getByRole('button', { name: 'Keep CHILD099 in SB00007 (the centre’s)' });
    await page.getByRole('button', { name: 'Move CHILD099 back into SB00001' }).waitFor();
    await shotMatrix(page, 'office-conflicts');
    await keep.click();
    await text(page.getByTestId('conflicts')).toContain('No conflicts.');
    const all = await station.served.call('conflicts.list', { all: true });
    expect(all.value[0]).toMatchObject({ resolution: 'keep_central', resolvedBy: 'sam' });
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
