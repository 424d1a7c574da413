import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatcher } from './dispatch.ts';
import { methodNames } from '../../src-shared/contract.ts';
import { createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

const TABLES = [
  'users',
  'bags',
  'links',
  'bills',
  'bill_bags',
  'scans',
  'audit_log',
  'outbox',
  'scan_counters',
  'totals',
];

describe('the dispatcher', () => {
  let t: TestStation;
  /** Row counts of every table a change could touch. */
  const snapshot = () => Object.fromEntries(TABLES.map((name) => [name, t.rows(name)]));

  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.addUser('sup', 'supervisor');
    await t.login('sup');
    await t.scan('SB00001');
    await t.scan('CH000001');
  });
  afterEach(() => t.dispose());

  it('answers { ok: true, value } and null for a method with nothing to return', async () => {
    expect(await t.api.dispatch('status.get', undefined)).toMatchObject({
      ok: true,
      value: { dataDir: t.dir, operator: 'sup', users: 2, dispatchArea: 'MAIN' },
    });
    expect(await t.api.dispatch('auth.logout', {})).toEqual({ ok: true, value: null });
    expect(await t.api.dispatch('auth.whoami', null)).toEqual({ ok: true, value: null });
  });

  it('knows exactly the contract methods', () => {
    for (const m of methodNames) expect(t.api.isMethod(m)).toBe(true);
    for (const m of ['nope', 'toString', '__proto__', 'constructor', 'hasOwnProperty'])
      expect(t.api.isMethod(m)).toBe(false);
  });

  it('refuses an unknown method with unknown_method, naming it', async () => {
    for (const m of ['bills.delete', 'toString', '__proto__', 'constructor', '']) {
      const r = await t.api.dispatch(m, {});
      expect(r).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    }
    const r = await t.api.dispatch('bills.delete', {});
    expect(!r.ok && r.error.message).toBe('There is no method called bills.delete.');
  });

  it('refuses wrong types with invalid_input and writes nothing', async () => {
    const before = snapshot();
    const bad: [string, unknown][] = [
      ['scan.submit', { code: 42 }],
      ['scan.submit', { code: '' }],
      ['scan.submit', { code: 'X'.repeat(4097) }],
      ['scan.submit', 'SB00002'],
      ['bills.create', { billNo: 'B-1', destination: 'Delhi', vehicleNo: 'DL01', capacity: '5' }],
      ['bills.create', { billNo: 'B-1', destination: '   ', vehicleNo: 'DL01', capacity: 5 }],
      ['bills.create', { billNo: 'B-1', destination: 'Delhi', vehicleNo: 'DL01', capacity: 2.5 }],
      ['bills.list', { status: 'closed' }],
      ['links.move', { child: 'CH000001', reason: 'wrong parent' }],
      ['links.move', { child: 'CH000001', toParent: 'SB00001' }],
      ['links.remove', { child: 'CH000001' }],
      ['auth.login', { username: 'sup' }],
      ['auth.login', { username: 'sup', password: PASSWORD, badge: 'B1', pin: '123456' }],
      ['users.create', { username: 'a b', role: 'dock', password: PASSWORD }],
      ['users.create', { username: 'newbie', role: 'root', password: PASSWORD }],
      ['settings.update', { profile: { parentCapacity: 0 } }],
      ['scan.state', { limit: 0 }],
    ];
    for (const [method, args] of bad) {
      const r = await t.api.dispatch(method, args);
      expect([method, r.ok ? 'ok' : r.error.code]).toEqual([method, 'invalid_input']);
    }
    expect(snapshot()).toEqual(before);
    expect((await t.call<{ operator: string }>('status.get')).operator).toBe('sup');
  });

  it('says which field is wrong', async () => {
    const r = await t.api.dispatch('bills.create', {
      billNo: 'B-1',
      destination: 'Delhi',
      vehicleNo: 'DL01',
      capacity: 0,
    });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error.message).toMatch(/^The request is not valid: capacity: /);
  });

  it('refuses extra keys (strict objects) and writes nothing', async () => {
    const before = snapshot();
    const extra: [string, unknown][] = [
      ['scan.submit', { code: 'SB00002', operator: 'admin' }],
      ['auth.whoami', { x: 1 }],
      ['status.get', { verbose: true }],
      [
        'bills.create',
        { billNo: 'B-1', destination: 'Delhi', vehicleNo: 'DL01', capacity: 5, status: 'completed' },
      ],
      ['users.update', { username: 'sup', role: 'admin', passwordHash: 'x' }],
      ['settings.update', { profile: { parentCapacity: 10, secret: 1 } }],
    ];
    for (const [method, args] of extra) {
      const r = await t.api.dispatch(method, args);
      expect([method, r.ok ? 'ok' : r.error.code]).toEqual([method, 'invalid_input']);
    }
    expect(snapshot()).toEqual(before);
  });

  it('turns a rule refusal into { ok: false } with the code and its sentence', async () => {
    const r = await t.api.dispatch('links.move', {
      child: 'CH000001',
      toParent: 'SB00001',
      reason: 'wrong parent',
    });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'same_parent',
        message: 'Child CH000001 is already in parent SB00001.',
        params: { child: 'CH000001', parent: 'SB00001' },
      },
    });
  });

  it('passes scans through with the api scanner by default, or the one named', async () => {
    const a = await t.call<{ scanner: string; outcome: string }>('scan.submit', { code: 'CH000002' });
    const b = await t.call<{ scanner: string; outcome: string }>('scan.submit', {
      code: 'CH000003',
      scanner: 'gun-7',
    });
    expect(a).toMatchObject({ scanner: 'api', outcome: 'linked' });
    expect(b).toMatchObject({ scanner: 'gun-7', outcome: 'linked' });
  });

  it('turns an unexpected error into internal, logs it, never throws, and changes nothing', async () => {
    const logs: string[] = [];
    const api = createDispatcher(t.station, (line) => logs.push(line));
    t.station.ctx.sqlite.exec(
      `create trigger bills_down before insert on bills begin select raise(abort, 'disk on fire'); end`,
    );
    const before = snapshot();
    const r = await api.dispatch('bills.create', {
      billNo: 'B-1',
      destination: 'Delhi',
      vehicleNo: 'DL01',
      capacity: 5,
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    expect(!r.ok && r.error.message).toContain('disk on fire');
    expect(logs).toEqual([expect.stringContaining('internal error in bills.create: disk on fire')]);
    expect(snapshot()).toEqual(before);
  });

  it('answers internal, not a throw, when the database is gone', async () => {
    t.station.close();
    const r = await t.api.dispatch('bills.list', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'internal' } });
    const s = await t.api.dispatch('scan.submit', { code: 'CH000009' });
    expect(s).toMatchObject({ ok: false, error: { code: 'internal' } });
  });
});
