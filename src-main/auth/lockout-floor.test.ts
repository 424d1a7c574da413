import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStation, type TestStation } from '../testing/test-station.ts';

/** What an admin may not undo from the settings, and what `baglink user add` may not skip. */
describe('the lockout floor and the username rule', () => {
  let t: TestStation;
  beforeEach(async () => {
    t = createTestStation();
    await t.addUser('admin', 'admin');
    await t.addUser('dina', 'dock');
    await t.login('admin');
  });
  afterEach(() => t.dispose());

  it('refuses a lockout of more than 10 tries or shorter than a minute', async () => {
    expect(await t.refusal('settings.update', { profile: { lockoutAttempts: 100 } })).toBe('invalid_input');
    expect(await t.refusal('settings.update', { profile: { lockoutMs: 0 } })).toBe('invalid_input');
    await t.call('settings.update', { profile: { lockoutAttempts: 3, lockoutMs: 120_000 } });
  });

  it('locks after 10 wrong tries for a minute even when a saved profile says otherwise', async () => {
    t.station.ctx.stationRepo.save({
      ...t.station.ctx.station,
      profile: { ...t.station.ctx.station.profile, lockoutAttempts: 100, lockoutMs: 0 },
    });
    t.station.ctx.reloadStation();
    for (let i = 0; i < 10; i++)
      expect(await t.refusal('auth.login', { username: 'dina', password: 'wrong-password' })).toBe(
        'bad_credentials',
      );
    expect(await t.refusal('auth.login', { username: 'dina', password: 'wrong-password' })).toBe(
      'account_locked',
    );
  });

  it('refuses a username the API would refuse from the console too (look-alike letters, spaces, controls)', async () => {
    for (const username of ['\u0430dmin', 'a b', 'ev\u0001il', 'x']) {
      await expect(t.addUser(username, 'dock')).rejects.toMatchObject({ code: 'invalid_input' });
    }
  });
});
