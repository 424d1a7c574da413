import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashSecret, verifySecret } from './passwords.ts';
import { operatorOf } from './session.ts';
import type { SessionInfo, UserView } from '../../src-shared/users.ts';
import { createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

describe('passwords', () => {
  it('hashes with argon2id and verifies only the right secret', async () => {
    const hash = await hashSecret('s3cret-words');
    expect(hash).toMatch(/^\$argon2id\$v=19\$m=19456,p=1,t=2\$/);
    expect(await verifySecret(hash, 's3cret-words')).toBe(true);
    expect(await verifySecret(hash, 's3cret-word')).toBe(false);
    expect(await verifySecret('not a hash', 's3cret-words')).toBe(false);
  });
});

describe('users', () => {
  let t: TestStation;
  const whoami = () => t.call<SessionInfo | null>('auth.whoami', {});
  /** The admin as an operator, for calls made outside the one logged-in session (e.g. from the console). */
  const adminOp = () => operatorOf(t.station.ctx.users.byUsername('admin')!);

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'Admin', password: PASSWORD });
    await t.addUser('sup', 'supervisor');
    await t.addUser('dock1', 'dock', { badge: 'B1', pin: '123456' });
  });
  afterEach(() => t.dispose());

  it('stores argon2id hashes of passwords and PINs, never the secrets', () => {
    const row = t.station.ctx.users.byUsername('dock1')!;
    expect(row.passwordHash.startsWith('$argon2id$')).toBe(true);
    expect(row.pinHash?.startsWith('$argon2id$')).toBe(true);
    const db = JSON.stringify(t.station.ctx.sqlite.prepare(`select * from users`).all());
    expect(db).not.toContain(PASSWORD);
  });

  it('createFirstAdmin works only while the station has no users', async () => {
    expect(t.station.ctx.users.byUsername('admin')?.role).toBe('admin');
    await expect(
      (async () => t.station.users.createFirstAdmin({ username: 'second', password: PASSWORD }))(),
    ).rejects.toMatchObject({ code: 'station_has_users' });
    expect(t.station.ctx.users.byUsername('second')).toBeUndefined();
  });

  it('an admin creates a user who can then log in; the username is lower-cased', async () => {
    await t.login('admin');
    const user = await t.call<UserView>('users.create', {
      username: 'New.Dock',
      role: 'dock',
      password: 'long enough',
    });
    expect(user).toMatchObject({
      username: 'new.dock',
      displayName: 'new.dock',
      role: 'dock',
      active: true,
      hasBadge: false,
    });
    expect(
      (await t.call<SessionInfo>('auth.login', { username: 'NEW.DOCK', password: 'long enough' })).operator
        .id,
    ).toBe(user.id);
  });

  it('refuses a taken username, a taken badge, a short password and a non-numeric PIN', async () => {
    await t.login('admin');
    const base = { role: 'dock', password: PASSWORD };
    expect(await t.refusal('users.create', { ...base, username: 'DOCK1' })).toBe('username_taken');
    expect(await t.refusal('users.create', { ...base, username: 'd2', badge: 'b1' })).toBe('badge_taken');
    expect(await t.refusal('users.create', { ...base, username: 'd3', password: 'short' })).toBe(
      'weak_password',
    );
    expect(await t.refusal('users.create', { ...base, username: 'd4', pin: '12ab56' })).toBe('weak_pin');
    expect(await t.refusal('users.create', { ...base, username: 'd5', pin: '12345' })).toBe('weak_pin');
    expect(t.station.ctx.users.count()).toBe(3);
  });

  it('users.create, users.update and users.list are admin-only', async () => {
    for (const who of ['sup', 'dock1']) {
      await t.login(who);
      expect(await t.refusal('users.list', {})).toBe('role_required');
      expect(await t.refusal('users.create', { username: 'x9', role: 'admin', password: PASSWORD })).toBe(
        'role_required',
      );
      expect(await t.refusal('users.update', { username: who, role: 'admin' })).toBe('role_required');
    }
    expect(t.station.ctx.users.count()).toBe(3);
    expect(t.station.ctx.users.byUsername('sup')?.role).toBe('supervisor');
    await t.call('auth.logout', {});
    expect(await t.refusal('users.list', {})).toBe('not_logged_in');
  });

  it('users.list never carries a hash, and neither does the audit log', async () => {
    await t.login('admin');
    await t.call('users.update', { username: 'dock1', password: 'another long one', pin: '987654' });
    const list = await t.call<UserView[]>('users.list', {});
    expect(list.map((u) => u.username)).toEqual(['admin', 'dock1', 'sup']);
    expect(list.find((u) => u.username === 'dock1')).toMatchObject({ hasBadge: true, active: true });
    expect(JSON.stringify(list)).not.toContain('$argon2');
    expect(JSON.stringify(list)).not.toMatch(/hash/i);
    const audit = JSON.stringify(t.station.ctx.sqlite.prepare(`select before, after from audit_log`).all());
    expect(t.rows('audit_log', `action = 'user.update'`)).toBe(1);
    expect(audit).not.toContain('$argon2');
  });

  it('a password change takes effect at once', async () => {
    await t.login('admin');
    await t.call('users.update', { username: 'dock1', password: 'brand new words' });
    expect(await t.refusal('auth.login', { username: 'dock1', password: PASSWORD })).toBe('bad_credentials');
    await t.call('auth.login', { username: 'dock1', password: 'brand new words' });
    expect((await whoami())?.operator.username).toBe('dock1');
  });

  it('on a joined station refuses changes to admin accounts, users of other areas and the centre-owned settings', async () => {
    await t.addUser('north1', 'dock', { dispatchArea: 'north' });
    await t.login('admin');
    writeFileSync(
      join(t.dir, 'central.json'),
      JSON.stringify({ stationId: 'x', dispatchArea: 'MAIN', url: 'postgres://c/x' }),
    );
    const before = t.journal();
    expect(await t.refusal('users.update', { username: 'north1', active: false })).toBe('centre_owned');
    expect(await t.refusal('users.update', { username: 'sup', role: 'admin' })).toBe('centre_owned');
    expect(await t.refusal('users.update', { username: 'admin', unlock: true })).toBe('centre_owned');
    expect(await t.refusal('users.create', { username: 'boss', role: 'admin', password: PASSWORD })).toBe(
      'centre_owned',
    );
    expect(await t.refusal('settings.update', { profile: { parentCapacity: 20 } })).toBe('centre_owned');
    expect(await t.refusal('settings.update', { dispatchArea: 'south' })).toBe('centre_owned');
    expect(t.journal()).toEqual(before);
    await t.call('settings.update', { dispatchArea: 'main' });
    // Its own area's people and its own name and code patterns stay the station's.
    await t.call('users.update', { username: 'dock1', active: false });
    await t.call('settings.update', { name: 'Dock 4', profile: { parentCapacity: 30 } });
    expect(await t.call<{ joined: boolean }>('settings.get')).toMatchObject({
      joined: true,
      name: 'Dock 4',
      scannerPorts: [],
    });
    expect(await t.call('sync.now', {})).toMatchObject({ centralStationId: 'x' });
    await t.login('sup');
    expect(await t.refusal('sync.now', {})).toBe('role_required');
  });

  describe('the last active admin', () => {
    it('cannot be demoted or switched off (last_admin)', async () => {
      await t.login('admin');
      expect(await t.refusal('users.update', { username: 'admin', role: 'supervisor' })).toBe('last_admin');
      expect(await t.refusal('users.update', { username: 'admin', active: false })).toBe('last_admin');
      expect(t.station.ctx.users.byUsername('admin')).toMatchObject({ role: 'admin', active: 1 });
      expect(t.rows('audit_log', `action = 'user.update'`)).toBe(0);
    });

    it('can be demoted once there is another active admin, and loses admin rights at once', async () => {
      await t.login('admin');
      await t.call('users.update', { username: 'sup', role: 'admin' });
      const view = await t.call<UserView>('users.update', { username: 'admin', role: 'supervisor' });
      expect(view.role).toBe('supervisor');
      expect(await t.refusal('users.update', { username: 'sup', active: false })).toBe('role_required');
    });
  });

  describe('a change to the logged-in user', () => {
    it('switching them off ends their session', async () => {
      await t.login('dock1');
      await t.station.users.update(adminOp(), { username: 'dock1', active: false });
      expect(await whoami()).toBeNull();
      expect(await t.scan('SB00001')).toMatchObject({ reason: 'not_logged_in' });
      expect(t.rows('audit_log', `action = 'session.logout' and entity_id = 'dock1'`)).toBe(1);
    });

    it('a new role applies to the running session', async () => {
      await t.login('dock1');
      expect(await t.refusal('bills.list', {})).toBe('role_required');
      await t.station.users.update(adminOp(), { username: 'dock1', role: 'supervisor' });
      expect((await whoami())?.operator.role).toBe('supervisor');
      expect(await t.call('bills.list', {})).toEqual([]);
    });

    it('a change to another user leaves the session alone', async () => {
      await t.login('dock1');
      await t.station.users.update(adminOp(), { username: 'sup', active: false });
      expect((await whoami())?.operator.username).toBe('dock1');
    });
  });
});
