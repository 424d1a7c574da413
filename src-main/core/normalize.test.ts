import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { classifyCode, normalizeCode } from './normalize.ts';
import { compileProfile, defaultProfile } from '../../src-shared/profile.ts';
import { createTestStation, type TestStation } from '../testing/test-station.ts';
import type { StationSettings } from '../../src-shared/settings.ts';

const GS = '\u001d';
const profile = compileProfile(defaultProfile);

describe('normalizeCode', () => {
  it('trims and upper-cases', async () => {
    expect(normalizeCode('  sb00001 \r\n')).toEqual({ ok: true, code: 'SB00001' });
  });

  it.each([']Q1', ']C1', ']E0', ']d2'])('strips the AIM prefix %s and reports it', (aim) => {
    expect(normalizeCode(`${aim}ab12cd`)).toEqual({ ok: true, code: 'AB12CD', aim });
  });

  it('keeps GS (0x1D), which separates GS1 fields', async () => {
    expect(normalizeCode(`01${GS}2345`)).toEqual({ ok: true, code: `01${GS}2345` });
  });

  it('refuses a control character inside a read instead of cutting it out', async () => {
    expect(normalizeCode('SB\u00009\u00000007')).toEqual({
      ok: false,
      code: 'SB<0x00>9<0x00>0007',
      reason: 'control_characters',
      char: 'U+0000',
    });
    expect(normalizeCode('\u0002sb00001\u0003')).toMatchObject({ ok: false, reason: 'control_characters' });
    expect(normalizeCode('sb\u007f00001')).toMatchObject({ ok: false, reason: 'control_characters' });
  });

  it('refuses what is not ASCII before upper-casing: straße01 never becomes STRASSE01', async () => {
    expect(normalizeCode('straße01')).toEqual({
      ok: false,
      code: 'straße01',
      reason: 'code_not_ascii',
      char: 'ß (U+00DF)',
    });
    expect(normalizeCode('ＳＢ00001')).toMatchObject({ ok: false, reason: 'code_not_ascii' });
    expect(normalizeCode('SB0\u200b0001')).toEqual({
      ok: false,
      code: 'SB0<U+200B>0001',
      reason: 'code_not_ascii',
      char: 'U+200B',
    });
    expect(normalizeCode('\u202eSB00001')).toMatchObject({ ok: false, char: 'U+202E' });
  });

  it('refuses an empty read, also when only whitespace or GS were sent', async () => {
    expect(normalizeCode('   ')).toMatchObject({ ok: false, reason: 'empty_code' });
    expect(normalizeCode(' \r\n\t')).toMatchObject({ ok: false, reason: 'empty_code' });
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

  it('records a non-ASCII read and a read with a control character as rejected, keeping the raw read', async () => {
    await t.scan('SB00001');
    const word = await t.scan('straße01');
    expect(word).toMatchObject({ outcome: 'rejected', reason: 'code_not_ascii', code: 'straße01' });
    expect(word.message).toContain('ß (U+00DF)');
    const nul = await t.scan('SB\u00009\u00000007');
    expect(nul).toMatchObject({ outcome: 'rejected', reason: 'control_characters' });
    const rows = t.station.ctx.sqlite
      .prepare(`select raw, code, action, reason from scans order by at, id`)
      .all() as { raw: string; code: string; action: string; reason: string }[];
    expect(rows.slice(1)).toEqual([
      { raw: 'straße01', code: 'straße01', action: 'rejected', reason: 'code_not_ascii' },
      {
        raw: 'SB<0x00>9<0x00>0007',
        code: 'SB<0x00>9<0x00>0007',
        action: 'rejected',
        reason: 'control_characters',
      },
    ]);
    expect(t.rows('bags', `code in ('STRASSE01', 'SB90007')`)).toBe(0);
    expect(t.station.activeParent()).toMatchObject({ code: 'SB00001', childCount: 0 });
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

  it('refuses a pattern that is not a code pattern and keeps the old profile', async () => {
    expect(await t.refusal('settings.update', { profile: { parentPatterns: ['^SB(\\d{5}$'] } })).toBe(
      'pattern_unsupported',
    );
    expect(t.station.ctx.profile.parentPatterns).toEqual(defaultProfile.parentPatterns);
    expect(t.rows('audit_log', `action = 'settings.update'`)).toBe(0);
  });
});
