import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migratePattern } from '../../src-shared/pattern-migration.ts';
import { createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

describe('saved code patterns', () => {
  let t: TestStation;
  beforeEach(async () => {
    t = createTestStation();
    await t.station.users.createFirstAdmin({ username: 'admin', password: PASSWORD });
    await t.login('admin');
  });
  afterEach(() => t.dispose());

  const savePatterns = (parentPatterns: string[], childPatterns: string[]) => {
    const row = t.station.ctx.sqlite.prepare(`select profile from station`).get() as { profile: string };
    const profile = { ...(JSON.parse(row.profile) as object), parentPatterns, childPatterns };
    t.station.ctx.sqlite.prepare(`update station set profile = ?`).run(JSON.stringify(profile));
  };

  it('refuses a pattern with a nested count on save, with a sentence, and changes nothing', async () => {
    const r = await t.api.dispatch('settings.update', { profile: { childPatterns: ['^(A+)+$'] } });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({
      code: 'pattern_unsupported',
      params: { pattern: '^(A+)+$', token: '(', position: 2 },
    });
    expect(r.error.message).toContain('The code pattern ^(A+)+$ uses ( at character 2');
    expect(t.station.ctx.profile.childPatterns).toEqual(['^[A-Z0-9]{4,20}$']);
    expect(t.rows('audit_log', `action = 'settings.update'`)).toBe(0);
  });

  it('a pattern that would make a regular expression backtrack is matched at once', async () => {
    const slow = `^${'A*'.repeat(20)}$`;
    await t.call('settings.update', { profile: { childPatterns: [slow] } });
    await t.scan('SB00001');
    const r = await t.scan(`${'A'.repeat(60)}!`);
    expect(r).toMatchObject({ outcome: 'rejected', reason: 'invalid_code' });
    t.clock.advance(2000);
    expect(await t.scan('A'.repeat(60))).toMatchObject({ outcome: 'linked' });
  });

  it('rewrites saved regular expressions at start with the same meaning, once, and audits it', async () => {
    savePatterns(['^(SB|M444-)\\d{5}$'], ['CH\\d{6}', '^(?:X)[0-9]{4}$']);
    t.reopen();
    const profile = t.station.ctx.profile;
    expect(profile.parentPatterns).toEqual(['^SB\\d{5}$', '^M444-\\d{5}$']);
    expect(profile.childPatterns).toEqual(['^.*CH\\d{6}.*$', '^X[0-9]{4}$']);
    expect(profile.refusedPatterns).toEqual([]);
    expect(t.station.status().warnings).toEqual([]);
    expect(t.rows('audit_log', `action = 'settings.migratePatterns'`)).toBe(1);

    await t.login('admin');
    expect(await t.scan('M444-00001')).toMatchObject({ outcome: 'parent_active' });
    expect(await t.scan('ZZCH123456ZZ')).toMatchObject({ outcome: 'linked' });
    expect(await t.scan('X1234')).toMatchObject({ outcome: 'linked' });
    t.reopen();
    expect(t.rows('audit_log', `action = 'settings.migratePatterns'`)).toBe(1);
  });

  it('a saved pattern that cannot be rewritten is not used, stays saved, and is reported', async () => {
    savePatterns(['^SB\\d{5}$'], ['^(A+)+$', '^C\\d{3}$']);
    t.reopen();
    const profile = t.station.ctx.profile;
    expect(profile.childPatterns).toEqual(['^(A+)+$', '^C\\d{3}$']);
    expect(profile.refusedPatterns).toEqual(['^(A+)+$']);
    expect(t.station.status().warnings).toEqual([
      {
        code: 'pattern_refused',
        params: { pattern: '^(A+)+$' },
        message:
          'The saved code pattern ^(A+)+$ is not a safe code pattern and is not used: an admin must replace ' +
          'it in Settings; until then codes that only it matched are rejected.',
      },
    ]);
    await t.login('admin');
    await t.scan('SB00001');
    expect(await t.scan(`${'A'.repeat(29)}!`)).toMatchObject({ outcome: 'rejected', reason: 'invalid_code' });
    expect(await t.scan('C123')).toMatchObject({ outcome: 'linked' });

    // An admin changing something else is not blocked; replacing the pattern clears the warning.
    await t.call('settings.update', { profile: { parentCapacity: 40 } });
    await t.call('settings.update', { profile: { childPatterns: ['^A{4,20}$', '^C\\d{3}$'] } });
    expect(t.station.status().warnings).toEqual([]);
  });
});

describe('migratePattern', () => {
  it.each([
    ['^SB\\d{5}$', ['^SB\\d{5}$']],
    ['^(SB|M444-)\\d{5}$', ['^SB\\d{5}$', '^M444-\\d{5}$']],
    ['^SB\\d{5}$|^M\\d{4}$', ['^SB\\d{5}$', '^M\\d{4}$']],
    ['^(A(B|C))D$', ['^ABD$', '^ACD$']],
    ['SB\\d', ['^.*SB\\d.*$']],
    ['^SB\\d', ['^SB\\d.*$']],
    ['^[(|]\\($', ['^[(|]\\($']],
  ])('%s becomes %j', (from, to) => {
    expect(migratePattern(from)).toEqual({ ok: true, patterns: to });
  });

  it.each(['^(A+)+$', '^(AB)*$', '^(A)\\1$', '^(?=A)A$', '^(?<n>A)$'])('%s cannot be rewritten', (from) => {
    expect(migratePattern(from)).toEqual({ ok: false });
  });
});
