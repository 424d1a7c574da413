import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret } from './passwords.ts';
import type { SessionInfo } from '../../src-shared/users.ts';
import { createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

const MIN = 60_000;

describe('sessions', () => {
  let t: TestStation;
  const whoami = () => t.call<SessionInfo | null>('auth.whoami', {});
  const audits = (action: string) => t.rows('audit_log', `action = '${action}'`);
  const loginWith = (username: string, password: string) =>
    t.api.dispatch('auth.login', { username, password });

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock', { badge: 'bdg-0001', pin: '432198' });
    await t.addUser('dock2', 'dock');
  });
  afterEach(() => t.dispose());

  describe('login', () => {
    it('a right PIN shorter than 6 digits (set before the rule) logs in only with a new PIN of 6 digits', async () => {
      const dock1 = t.station.ctx.users.byUsername('dock1')!;
      t.station.ctx.users.update({ ...dock1, pinHash: await hashSecret('4321'), at: t.clock.now() });
      const outboxBefore = t.rows('outbox', `op = 'user.upsert'`);
      expect(await t.refusal('auth.login', { badge: 'BDG-0001', pin: '4321' })).toBe('pin_change_required');
      expect(t.station.ctx.users.byUsername('dock1')?.failedAttempts).toBe(0);
      expect(await whoami()).toBeNull();
      // The new PIN follows the rule; a wrong old PIN changes nothing.
      expect(await t.refusal('auth.login', { badge: 'BDG-0001', pin: '4321', newPin: '12345' })).toBe(
        'weak_pin',
      );
      expect(await t.refusal('auth.login', { badge: 'BDG-0001', pin: '4322', newPin: '135790' })).toBe(
        'bad_badge',
      );
      const info = await t.call<SessionInfo>('auth.login', {
        badge: 'BDG-0001',
        pin: '4321',
        newPin: '135790',
      });
      expect(info.operator.username).toBe('dock1');
      // Audited as dock1's own change of PIN, and sent to the centre like any change of a user.
      const [change] = t.station.ctx.sqlite
        .prepare(`select user_id as userId, after from audit_log where action = 'user.update'`)
        .all() as { userId: string; after: string }[];
      expect(change?.userId).toBe(dock1.id);
      expect(JSON.parse(change!.after)).toMatchObject({ pinChanged: true, atLogin: true });
      expect(t.rows('outbox', `op = 'user.upsert'`)).toBe(outboxBefore + 1);
      t.station.session.logout();
      expect(await t.refusal('auth.login', { badge: 'BDG-0001', pin: '4321' })).toBe('bad_badge');
      await t.call('auth.login', { badge: 'BDG-0001', pin: '135790' });
      expect((await whoami())?.operator.username).toBe('dock1');
    });

    it('by username and password: the username is trimmed and case-insensitive', async () => {
      const info = await t.call<SessionInfo>('auth.login', { username: ' Dock1 ', password: PASSWORD });
      expect(info.operator).toMatchObject({ username: 'dock1', role: 'dock', dispatchArea: null });
      expect(info).toMatchObject({ since: t.clock.now(), idleExpiresAt: t.clock.now() + 30 * MIN });
      expect((await whoami())?.operator.username).toBe('dock1');
      expect(audits('session.login')).toBe(1);
      expect(t.station.ctx.users.byUsername('dock1')?.lastLoginAt).toBe(t.clock.now());
    });

    it('by badge and PIN', async () => {
      const info = await t.call<SessionInfo>('auth.login', { badge: ' BDG-0001 ', pin: '432198' });
      expect(info.operator.username).toBe('dock1');
      expect(await t.refusal('auth.login', { badge: 'BDG-0001', pin: '123498' })).toBe('bad_badge');
      expect(await t.refusal('auth.login', { badge: 'BDG-9999', pin: '432198' })).toBe('bad_badge');
      expect(await t.refusal('auth.login', { badge: 'dock2', pin: '432198' })).toBe('bad_badge');
    });

    it('refuses a wrong password and an unknown user alike (bad_credentials), and stays logged out', async () => {
      expect(await t.refusal('auth.login', { username: 'dock1', password: 'wrong password' })).toBe(
        'bad_credentials',
      );
      expect(await t.refusal('auth.login', { username: 'nobody', password: PASSWORD })).toBe(
        'bad_credentials',
      );
      expect(await whoami()).toBeNull();
      expect(audits('login.failed')).toBe(1);
      expect(audits('login.unknown')).toBe(1);
    });

    it('refuses a switched-off account even with the right password', async () => {
      await t.login('admin');
      await t.call('users.update', { username: 'dock2', active: false });
      expect(await t.refusal('auth.login', { username: 'dock2', password: PASSWORD })).toBe(
        'account_disabled',
      );
    });
  });

  describe('lockout', () => {
    async function failFiveTimes() {
      for (let i = 0; i < 5; i++) {
        const r = await loginWith('dock1', `wrong-${i}`);
        expect(r).toMatchObject({ ok: false, error: { code: 'bad_credentials' } });
      }
    }

    it('locks the account after 5 failures: account_locked even with the right password', async () => {
      await failFiveTimes();
      expect(audits('login.locked')).toBe(1);
      expect(await t.refusal('auth.login', { username: 'dock1', password: PASSWORD })).toBe('account_locked');
      expect(await t.refusal('auth.login', { badge: 'BDG-0001', pin: '432198' })).toBe('account_locked');
      t.clock.advance(14 * MIN);
      expect(await t.refusal('auth.login', { username: 'dock1', password: PASSWORD })).toBe('account_locked');
      expect(await whoami()).toBeNull();
    });

    it('four failures do not lock, and a good login resets the count', async () => {
      for (let i = 0; i < 4; i++) await loginWith('dock1', 'wrong');
      await t.login('dock1');
      for (let i = 0; i < 4; i++) await loginWith('dock1', 'wrong');
      await t.login('dock1');
      expect(audits('login.locked')).toBe(0);
    });

    it('unlocks by itself after 15 minutes', async () => {
      await failFiveTimes();
      t.clock.advance(15 * MIN + 1);
      await t.login('dock1');
      expect((await whoami())?.operator.username).toBe('dock1');
      expect(t.station.ctx.users.byUsername('dock1')).toMatchObject({ failedAttempts: 0, lockedUntil: null });
    });

    it('a failure never clears a lock, and the lock is written once', async () => {
      await failFiveTimes();
      const lockedUntil = t.station.ctx.users.byUsername('dock1')?.lockedUntil;
      t.clock.advance(MIN);
      for (let i = 0; i < 3; i++) {
        expect(await t.refusal('auth.login', { username: 'dock1', password: 'wrong' })).toBe(
          'account_locked',
        );
      }
      expect(t.station.ctx.users.byUsername('dock1')?.lockedUntil).toBe(lockedUntil);
      expect(audits('login.locked')).toBe(1);
    });

    it('counts wrong guesses sent at once before checking them: the right one after them is refused', async () => {
      const wrong = await Promise.all(Array.from({ length: 20 }, (_, i) => loginWith('dock1', `wrong-${i}`)));
      expect(wrong.every((r) => !r.ok)).toBe(true);
      expect(await t.refusal('auth.login', { username: 'dock1', password: PASSWORD })).toBe('account_locked');
      expect(audits('login.locked')).toBe(1);
    });

    it('a wrong PIN is recorded as a wrong PIN, not a wrong password', async () => {
      expect(await t.refusal('auth.login', { badge: 'BDG-0001', pin: '000000' })).toBe('bad_badge');
      expect(audits('login.failed_pin')).toBe(1);
      expect(audits('login.failed')).toBe(0);
    });

    it('an unknown name is locked after as many tries as a real one', async () => {
      for (let i = 0; i < 5; i++) {
        expect(await t.refusal('auth.login', { username: 'nobody', password: 'wrong' })).toBe(
          'bad_credentials',
        );
      }
      expect(await t.refusal('auth.login', { username: 'nobody', password: 'wrong' })).toBe('account_locked');
      t.clock.advance(15 * MIN + 1);
      expect(await t.refusal('auth.login', { username: 'nobody', password: 'wrong' })).toBe(
        'bad_credentials',
      );
    });

    it('an admin unlocks it at once with users.update', async () => {
      await failFiveTimes();
      await t.login('admin');
      await t.call('users.update', { username: 'dock1', unlock: true });
      await t.login('dock1');
      expect((await whoami())?.operator.username).toBe('dock1');
    });
  });

  describe('idle timeout', () => {
    it('ends the session after 30 idle minutes: whoami is null and a scan is not_logged_in', async () => {
      await t.login('dock1');
      t.clock.advance(30 * MIN + 1);
      expect(await whoami()).toBeNull();
      expect(await t.scan('SB00001')).toMatchObject({ outcome: 'rejected', reason: 'not_logged_in' });
      expect(await t.refusal('bags.lookup', { code: 'SB00001' })).toBe('not_logged_in');
      expect(audits('session.idle')).toBe(1);
    });

    it('activity keeps the session alive', async () => {
      await t.login('dock1');
      t.clock.advance(29 * MIN);
      await t.scan('SB00001');
      t.clock.advance(29 * MIN);
      const info = await whoami();
      expect(info?.operator.username).toBe('dock1');
      expect(info?.idleExpiresAt).toBe(t.clock.now() + 30 * MIN);
    });
  });

  it('one operator at a time: a second login replaces the first', async () => {
    await t.login('dock1');
    await t.login('dock2');
    expect((await whoami())?.operator.username).toBe('dock2');
    const replaced = t.station.ctx.sqlite
      .prepare(`select a.entity_id as who from audit_log a where a.action = 'session.replaced'`)
      .all();
    expect(replaced).toEqual([{ who: 'dock1' }]);
    expect(t.station.status().operator).toBe('dock2');
  });

  it('a failed login does not end the current session', async () => {
    await t.login('dock1');
    await loginWith('dock2', 'wrong');
    expect((await whoami())?.operator.username).toBe('dock1');
  });

  it('logout ends the session', async () => {
    await t.login('dock1');
    await t.call('auth.logout', {});
    expect(await whoami()).toBeNull();
    expect(audits('session.logout')).toBe(1);
  });

  describe('dispatch area', () => {
    it('refuses a dock user of another area (wrong_area), but not a supervisor of it', async () => {
      await t.addUser('north1', 'dock', { dispatchArea: 'NORTH' });
      await t.addUser('northsup', 'supervisor', { dispatchArea: 'NORTH' });
      await t.addUser('main1', 'dock', { dispatchArea: 'MAIN' });
      expect(await t.refusal('auth.login', { username: 'north1', password: PASSWORD })).toBe('wrong_area');
      expect(await whoami()).toBeNull();
      await t.login('northsup');
      await t.login('main1');
      expect((await whoami())?.operator.dispatchArea).toBe('MAIN');
    });
  });
});
