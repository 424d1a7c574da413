import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { logIn, logOut, openScreen, shotMatrix, text } from './office-helpers.ts';
import { people, startWebStation, type WebStation } from '../../src-main/bench/web-station.ts';

/** An admin's user actions from the Users screen: unlock, change role, new password and PIN, switch off and on. */
describe('admin user actions in Chromium', () => {
  let station: WebStation;
  let page: Page;
  let dinaRow: Locator;
  const newPassword = 'dina-new-password-2';
  const newPin = '246813';

  const done = (sentence: string) => text(page.getByTestId('users-done')).toBe(sentence);

  beforeAll(async () => {
    station = await startWebStation();
    page = station.page;
    await page.setViewportSize({ width: 1366, height: 768 });
    await page.locator('#login-title').waitFor({ timeout: 30_000 });
    dinaRow = page.getByTestId('users').locator('tr', { hasText: 'Dina Dock' });
  }, 120_000);

  afterAll(async () => {
    await station?.close();
  });

  it('shows a locked account as locked and unlocks it', async () => {
    for (let i = 0; i < 5; i++) {
      const answer = await station.served.call('auth.login', { username: 'dina', password: 'wrong-guess' });
      expect(answer.ok).toBe(false);
    }
    const locked = await station.served.call('auth.login', people.dock);
    expect(locked.error?.code).toBe('account_locked');

    await logIn(page, people.admin);
    await openScreen(page, 'users');
    await text(dinaRow.getByTestId('user-status')).toContain('Locked until');
    await dinaRow.getByRole('button', { name: 'Manage Dina Dock' }).click();
    const edit = page.getByTestId('user-edit');
    await text(edit.getByTestId('unlock')).toContain('Unlock Dina Dock now');
    await shotMatrix(page, 'office-users-manage');
    await edit.getByTestId('unlock').click();
    await done('Dina Dock is unlocked and can log in again.');
    await text(dinaRow.getByTestId('user-status')).toBe('Active');
    expect(await edit.getByTestId('unlock').count()).toBe(0);
  });

  it('changes the role, and sets a new password and PIN', async () => {
    const edit = page.getByTestId('user-edit');
    await edit.locator('#edit-user-role').selectOption('supervisor');
    await text(edit.getByTestId('change-role')).toBe('Make Dina Dock a Supervisor');
    await edit.getByTestId('change-role').click();
    await done('Dina Dock has a new role.');
    await text(dinaRow).toContain('Supervisor');
    await edit.locator('#edit-user-role').selectOption('dock');
    await edit.getByTestId('change-role').click();
    await text(dinaRow).toContain('Dock worker');

    await edit.locator('input[name="newPassword"]').fill('short');
    await edit.getByTestId('set-password').click();
    await text(edit.locator('.error-line')).toContain('at least 8 characters');
    await edit.locator('input[name="newPassword"]').fill(newPassword);
    await edit.getByTestId('set-password').click();
    await done('New password set for Dina Dock.');
    expect(await edit.locator('input[name="newPassword"]').inputValue()).toBe('');

    await edit.locator('input[name="newPin"]').fill(newPin);
    await edit.getByTestId('set-pin').click();
    await done('New PIN set for Dina Dock.');
    const badge = await station.served.call('users.update', { username: 'dina', badge: 'BADGEDINA01' });
    expect(badge.ok).toBe(true);
  });

  it('switches the account off (no login) and on again', async () => {
    const edit = page.getByTestId('user-edit');
    await edit.getByTestId('deactivate').click();
    await done('The account of Dina Dock is switched off: it cannot log in.');
    await text(dinaRow.getByTestId('user-status')).toBe('Switched off');
    const refused = await station.served.call('auth.login', { username: 'dina', password: newPassword });
    expect(refused.error?.code).toBe('account_disabled');
    await edit.getByTestId('reactivate').click();
    await done('The account of Dina Dock is on again.');
    await text(dinaRow.getByTestId('user-status')).toBe('Active');

    const audit = await station.served.call('audit.list', { user: 'admin' });
    const updates = audit.value.rows.filter((r: { action: string }) => r.action === 'user.update');
    expect(updates.length).toBeGreaterThanOrEqual(7);
    expect(JSON.stringify(audit.value.rows)).not.toContain(newPassword);
  });

  it('sets the parent capacity, code patterns and a scanner port from the settings screen', async () => {
    await openScreen(page, 'settings');
    const setup = page.getByTestId('station-setup');
    await text(page.getByTestId('station-id')).toMatch(/^[0-9a-f-]{36}$/);
    // The form holds the saved settings before anything is typed over them.
    await expect
      .poll(() => setup.locator('input[name="capacity"]').inputValue(), { timeout: 20_000 })
      .toBe('30');
    await setup.locator('input[name="capacity"]').fill('25');
    await setup.locator('#parentPatterns').fill('^SB\\d{5}$\n^M444-\\d{5}$\n^PB\\d{4}$');
    await setup.locator('button[type="submit"]').click();
    await text(setup).toContain('Saved.');
    const settings = (await station.served.call('settings.get', {})).value;
    expect(settings.profile.parentCapacity).toBe(25);
    expect(settings.profile.parentPatterns).toEqual(['^SB\\d{5}$', '^M444-\\d{5}$', '^PB\\d{4}$']);
    expect((await station.served.call('scan.submit', { code: 'PB1234' })).value.outcome).toBe(
      'parent_active',
    );
    await setup.locator('#childPatterns').fill('^[A-Z0-9]{4,20}$\n(');
    await setup.locator('button[type="submit"]').click();
    await text(setup.locator('.error-line')).toContain('must start with ^');

    const ports = page.getByTestId('scanner-ports');
    await ports.locator('input[name="portPath"]').fill('/dev/ttyBAGLINKSPARE0');
    await ports.locator('input[name="portName"]').fill('Spare scanner');
    await ports.locator('input[name="portBaud"]').fill('9600');
    await ports.getByRole('button', { name: 'Add the port' }).click();
    await text(ports).toContain('Stop using /dev/ttyBAGLINKSPARE0');
    const saved = (await station.served.call('settings.get', {})).value.scannerPorts;
    expect(saved).toEqual([{ path: '/dev/ttyBAGLINKSPARE0', name: 'Spare scanner', baudRate: 9600 }]);
    await text(page.getByTestId('scanners')).toContain('/dev/ttyBAGLINKSPARE0');
    await shotMatrix(page, 'office-settings');
    const font = await page.evaluate<string>(
      `getComputedStyle(document.querySelector('[data-testid="station-id"]')).fontFamily`,
    );
    expect(font).toContain('Noto Sans Devanagari');
    await ports.getByRole('button', { name: 'Stop using /dev/ttyBAGLINKSPARE0' }).click();
    await text(ports).toContain('None: the station uses the scanners it finds by itself.');
  });

  it('on a station joined to a centre shows what the centre owns read-only, and syncs now', async () => {
    writeFileSync(
      join(station.dataDir, 'central.json'),
      JSON.stringify({
        stationId: 'st-1',
        name: 'Dock 1',
        dispatchArea: 'MAIN',
        url: 'postgres://centre/baglink',
        caFile: null,
      }),
    );
    await openScreen(page, 'users');
    const adminRow = page.getByTestId('users').locator('tr', { hasText: 'admin' }).first();
    await text(adminRow).toContain('IT changes this at the centre');
    await adminRow.getByRole('button', { name: 'Manage admin' }).click();
    await text(page.getByTestId('centre-owned')).toContain('IT changes this at the centre');
    await shotMatrix(page, 'office-users-joined');
    await openScreen(page, 'settings');
    const setup = page.getByTestId('station-setup');
    await text(setup.getByTestId('centre-owned')).toContain('IT changes this at the centre');
    expect(await setup.locator('input[name="capacity"]').getAttribute('readonly')).not.toBeNull();
    expect(await setup.locator('input[name="area"]').getAttribute('readonly')).not.toBeNull();
    await setup.locator('button[type="submit"]').click();
    await text(setup).toContain('Saved.');
    const refused = await station.served.call('settings.update', { profile: { parentCapacity: 40 } });
    expect(refused.error?.code).toBe('centre_owned');
    await page.getByTestId('sync-now').click();
    await text(page.locator('.notice', { hasText: 'syncing' })).toContain(
      'The station is syncing with the centre now.',
    );
    await shotMatrix(page, 'office-settings-joined');
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    rmSync(join(station.dataDir, 'central.json'));
  });

  it('the new password and the new PIN work', async () => {
    await logOut(page);
    await logIn(page, { username: 'dina', password: newPassword });
    await text(page.locator('.who-name')).toBe('Dina Dock');
    const byBadge = await station.served.call('auth.login', { badge: 'BADGEDINA01', pin: newPin });
    expect(byBadge.ok).toBe(true);
    const admin = await station.served.call('users.list', {});
    expect(admin.error?.code).toBe('role_required');
  });
});
