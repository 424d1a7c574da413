/**
 * Adversarial review of the enrolment cache (issue 15): central.json is reread when it changes, but what is
 * read is neither caught nor checked. A damaged file turns status.get, sync.status and even status.preLogin
 * (the login screen) into `internal` errors with a JSON parser's sentence; a file of the wrong shape is taken
 * as an enrolment, and the station says it has a centre it does not have.
 */
import { writeFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestStation, type TestStation } from '../testing/test-station.ts';
import { enrolmentPath } from './config.ts';

let ts: TestStation;

beforeEach(async () => {
  ts = createTestStation();
  await ts.addUser('admin', 'admin');
  await ts.login('admin');
});

afterEach(() => ts.dispose());

const statusMethods = ['status.preLogin', 'status.get', 'sync.status'] as const;

describe('a damaged central.json', () => {
  for (const method of statusMethods) {
    it(`${method} answers without an internal error when central.json is not JSON`, async () => {
      expect((await ts.api.dispatch(method, {})).ok).toBe(true);
      writeFileSync(enrolmentPath(ts.dir), 'not json', { mode: 0o600 });
      const r = await ts.api.dispatch(method, {});
      if (!r.ok) expect(r.error.code).not.toBe('internal');
    });
  }

  it('is not taken as an enrolment when it is JSON of the wrong shape', async () => {
    writeFileSync(enrolmentPath(ts.dir), '{}', { mode: 0o600 });
    const r = await ts.api.dispatch('sync.status', {});
    if (r.ok) {
      const status = r.value as { state: string; central: string | null };
      expect(status.central).toBeNull();
      expect(status.state).not.toBe('stopped');
    } else {
      expect(r.error.code).not.toBe('internal');
    }
  });
});
