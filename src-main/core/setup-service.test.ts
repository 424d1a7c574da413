import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStation, PASSWORD, type TestStation } from '../testing/test-station.ts';

describe('first-run admin', () => {
  let ts: TestStation;
  beforeEach(() => {
    ts = createTestStation();
  });
  afterEach(() => ts.dispose());

  it('offers the first admin on a new station, lets exactly one of two racing tabs create it, audited', async () => {
    expect(await ts.call('setup.state')).toEqual({ firstAdmin: true });
    const [a, b] = await Promise.all([
      ts.api.dispatch('setup.firstAdmin', { username: 'asha', displayName: 'Asha', password: PASSWORD }),
      ts.api.dispatch('setup.firstAdmin', { username: 'ravi', displayName: 'Ravi', password: PASSWORD }),
    ]);
    const won = [a, b].filter((r) => r.ok);
    const lost = [a, b].filter((r) => !r.ok);
    expect(won).toHaveLength(1);
    expect(lost.map((r) => !r.ok && r.error.code)).toEqual(['station_has_users']);
    expect(ts.rows('users')).toBe(1);
    expect(ts.rows('users', "role = 'admin'")).toBe(1);
    expect(ts.rows('audit_log', "action = 'setup.firstAdmin'")).toBe(1);
    // The winner is logged in; the screen is gone for good.
    expect(await ts.call('auth.whoami')).toMatchObject({ operator: { role: 'admin' } });
    expect(await ts.call('setup.state')).toEqual({ firstAdmin: false });
    expect(await ts.refusal('setup.firstAdmin', { username: 'late', password: PASSWORD })).toBe(
      'station_has_users',
    );
  });

  it('refuses a weak password and keeps the offer', async () => {
    expect(await ts.refusal('setup.firstAdmin', { username: 'asha', password: 'short' })).toBe(
      'weak_password',
    );
    expect(await ts.call('setup.state')).toEqual({ firstAdmin: true });
  });

  it('never offers it on a station joined to a centre', async () => {
    writeFileSync(
      join(ts.dir, 'central.json'),
      JSON.stringify({ stationId: 's', name: 'n', dispatchArea: 'A', url: 'postgres://x', caFile: null }),
    );
    expect(await ts.call('setup.state')).toEqual({ firstAdmin: false });
    expect(await ts.refusal('setup.firstAdmin', { username: 'asha', password: PASSWORD })).toBe(
      'setup_joined',
    );
    expect(ts.rows('users')).toBe(0);
  });
});
