import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { methodNames, preLoginMethods, type MethodName } from '../../src-shared/contract.ts';
import { createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

/** Arguments that pass each method's schema, so what answers is the role check and not the validation. */
const validArgs: Partial<Record<MethodName, unknown>> = {
  'scan.undoLast': {},
  'scan.closeParent': {},
  'scan.state': { limit: 5 },
  'sync.now': {},
  'links.remove': { child: 'CH000001', reason: 'torn bag' },
  'links.move': { child: 'CH000001', toParent: 'SB00002', reason: 'wrong parent' },
  'bags.lookup': { code: 'SB00001' },
  'bills.create': { billNo: 'B-1', destination: 'Delhi', vehicleNo: 'DL01', capacity: 5 },
  'bills.addParent': { billNo: 'B-1', parent: 'SB00001' },
  'bills.scanParent': { billNo: 'B-1', parent: 'SB00001' },
  'bills.takeReads': { billNo: 'B-1' },
  'bills.removeParent': { billNo: 'B-1', parent: 'SB00001' },
  'bills.complete': { billNo: 'B-1' },
  'bills.reopen': { billNo: 'B-1' },
  'bills.get': { billNo: 'B-1' },
  'bills.list': {},
  'stats.dashboard': {},
  'users.list': {},
  'users.create': { username: 'newbie', role: 'dock', password: PASSWORD },
  'users.update': { username: 'admin', displayName: 'Boss' },
  'settings.get': {},
  'settings.update': { name: 'Dock 9' },
  'status.get': {},
  'sync.status': {},
  'conflicts.list': {},
  'conflicts.resolve': { id: 1, resolution: 'keep_central' },
  'bills.export': { billNo: 'B-1', format: 'csv' },
  'reports.endOfDay': { date: '2026-01-15', format: 'csv' },
  'audit.list': {},
  'scanners.list': {},
  'scanners.configure': { scanners: [] },
  'scanners.testRead': { scannerId: 'x' },
  'hardware.get': {},
  'hardware.configure': { printer: null },
  'hardware.state': {},
  'weights.current': {},
  'weights.weighAgain': {},
  'weights.weighLater': {},
  'weights.acknowledge': { parent: 'SB00001' },
  'printer.reprint': { parent: 'SB00001' },
  'printer.preview': { parent: 'SB00001' },
  'printer.jobs': {},
};

describe('before login', () => {
  let t: TestStation;
  beforeEach(() => {
    t = createTestStation();
  });
  afterEach(() => t.dispose());

  it('every method outside preLoginMethods answers not_logged_in, checked in the core', async () => {
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    const guarded = methodNames.filter((m) => !(preLoginMethods as readonly string[]).includes(m));
    for (const method of guarded) {
      expect([method, method in validArgs]).toEqual([method, true]);
      const r = await t.api.dispatch(method, validArgs[method]);
      expect([method, r.ok ? 'ok' : r.error.code]).toEqual([method, 'not_logged_in']);
    }
  });

  it('status.get, sync.status and scan.state answer anyone logged in, a dock worker too', async () => {
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.login('dock1');
    for (const method of ['status.get', 'sync.status', 'scan.state'] as const) {
      expect([method, (await t.api.dispatch(method, validArgs[method])).ok]).toEqual([method, true]);
    }
  });

  it('below its role a method says which role it needs, in a sentence that reads right for every role', async () => {
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('dock1', 'dock');
    await t.login('dock1');
    const users = await t.api.dispatch('users.list', {});
    expect(!users.ok && users.error.message).toBe('Only a user with the admin role may do this.');
    const bills = await t.api.dispatch('bills.list', {});
    expect(!bills.ok && bills.error.message).toBe('Only a user with the supervisor role may do this.');
  });

  it('status.preLogin tells a new station from one with users, and fills the chips, with no secrets', async () => {
    const fresh = await t.call<Record<string, unknown>>('status.preLogin', {});
    expect(fresh).toEqual({
      name: expect.any(String),
      version: expect.any(String),
      hasUsers: false,
      scanners: { count: 0, ready: 0 },
      sync: { state: 'not_enrolled', outboxDepth: 0, progress: null, waitingSeconds: null },
    });
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    // An admin stays on its station (the centre's admins are IT's): nothing goes to the outbox for it.
    expect(await t.call('status.preLogin', {})).toMatchObject({ hasUsers: true, sync: { outboxDepth: 0 } });
  });

  it('a scan is answered (refused as not logged in) so the login screen can take a scanned badge', async () => {
    expect(await t.scan('BDG-0001')).toMatchObject({ outcome: 'rejected', reason: 'not_logged_in' });
    expect(await t.api.dispatch('auth.whoami', {})).toEqual({ ok: true, value: null });
    expect(await t.api.dispatch('auth.logout', {})).toEqual({ ok: true, value: null });
  });
});
