import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyCode, normalizeCode } from './normalize.ts';
import { compileProfile, defaultProfile } from './profile.ts';
import { createTestStation, type TestStation } from './test-station.ts';
import type { StationSettings } from './settings-service.ts';

const GS = '\u001d';
const profile = compileProfile(defaultProfile);

describe('normalizeCode', () => {
  it('trims and upper-cases', async () => {
    expect(normalizeCode('  sb00001 \r\n')).toEqual({ ok: true, code: 'SB00001' });
  });

  it.each([']Q1', ']C1', ']E0', ']d2'])('strips the AIM prefix %s and reports it', (aim) => {
    expect(normalizeCode(`${aim}ab12cd`)).toEqual({ ok: true, code: 'AB12CD', aim });
  });

  it('strips control characters but keeps GS (0x1D)', async () => {
    expect(normalizeCode('\u0002ab\u0000cd\u001b12\u007f\u0003')).toEqual({ ok: true, code: 'ABCD12' });
    const gs1 = normalizeCode(`01${GS}2345`);
    expect(gs1).toEqual({ ok: true, code: `01${GS}2345` });
  });

  it('refuses an empty read, also when only control characters or GS were sent', async () => {
    expect(normalizeCode('   ')).toMatchObject({ ok: false, reason: 'empty_code' });
    expect(normalizeCode('\u0002\u0003')).toMatchObject({ ok: false, reason: 'empty_code' });
    expect(normalizeCode(GS + GS)).toMatchObject({ ok: false, reason: 'empty_code' });
  });

  it('accepts 4 and 100 characters, refuses 3 and 101', async () => {
    expect(normalizeCode('abc')).toEqual({ ok: false, code: 'ABC', reason: 'code_too_short' });
    expect(normalizeCode(']Q1abc')).toEqual({ ok: false, code: 'ABC', reason: 'code_too_short' });
    expect(normalizeCode('abcd')).toEqual({ ok: true, code: 'ABCD' });
    expect(normalizeCode('A'.repeat(100))).toEqual({ ok: true, code: 'A'.repeat(100) });
    const long = normalizeCode('A'.repeat(101));
    expect(long).toEqual({ ok: false, code: 'A'.repeat(100), reason: 'code_too_long' });
  });
});

describe('classifyCode with the default profile', () => {
  it.each(['SB00001', 'SB12345', 'M444-00001', 'M444-99999'])('%s is a parent', (code) => {
    expect(classifyCode(code, profile)).toBe('parent');
  });

  it.each(['CH000001', 'ABCD', 'A'.repeat(20), 'SB1234', 'SB123456', 'M44400001'])(
    '%s is a child',
    (code) => {
      expect(classifyCode(code, profile)).toBe('child');
    },
  );

  it.each(['AB-12', 'A'.repeat(21), `AB${GS}CD`, 'M444-0001', 'ab12'])('%s matches no pattern', (code) => {
    expect(classifyCode(code, profile)).toBeNull();
  });
});

describe('scanned codes through the station', () => {
  let t: TestStation;
  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: 'correct horse battery' });
    await t.login('admin');
  });
  afterEach(() => t.dispose());

  it('a prefixed, lower-case, padded parent read becomes the active parent', async () => {
    const r = await t.scan(' ]Q1sb00001\r');
    expect(r).toMatchObject({ code: 'SB00001', outcome: 'parent_active' });
    expect(t.station.activeParent()?.code).toBe('SB00001');
  });

  it('refuses too short and too long codes and records them as rejected scans with the reason', async () => {
    expect(await t.scan('ab1')).toMatchObject({ outcome: 'rejected', reason: 'code_too_short' });
    expect(await t.scan('X'.repeat(101))).toMatchObject({ outcome: 'rejected', reason: 'code_too_long' });
    const rows = t.station.ctx.sqlite.prepare(`select action, reason from scans order by id`).all();
    expect(rows).toEqual([
      { action: 'rejected', reason: 'code_too_short' },
      { action: 'rejected', reason: 'code_too_long' },
    ]);
  });

  it('uses the parent and child patterns changed with settings.update', async () => {
    expect(await t.scan('PX-0001')).toMatchObject({ outcome: 'rejected', reason: 'invalid_code' });
    const next = await t.call<StationSettings>('settings.update', {
      profile: { parentPatterns: ['^PX-\\d{4}$'], childPatterns: ['^C\\d{3}$'] },
    });
    expect(next.profile.parentPatterns).toEqual(['^PX-\\d{4}$']);
    t.clock.advance(2000);
    expect(await t.scan('px-0001')).toMatchObject({ outcome: 'parent_active', code: 'PX-0001' });
    expect(await t.scan('SB00001')).toMatchObject({ outcome: 'rejected', reason: 'invalid_code' });
    expect(await t.scan('CH000001')).toMatchObject({ outcome: 'rejected', reason: 'invalid_code' });
    expect(await t.scan('c123')).toMatchObject({
      outcome: 'linked',
      activeParent: { code: 'PX-0001', childCount: 1 },
    });
  });

  it('refuses a pattern that is not a regular expression and keeps the old profile', async () => {
    expect(await t.refusal('settings.update', { profile: { parentPatterns: ['^SB(\\d{5}$'] } })).toBe(
      'invalid_input',
    );
    expect(t.station.ctx.profile.parentPatterns).toEqual(defaultProfile.parentPatterns);
    expect(t.rows('audit_log', `action = 'settings.update'`)).toBe(0);
  });
});
