import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baglink, serve, type Answer, type Served } from '../../src-main/bench/serve-process.ts';

/**
 * Fifty wrong guesses at once against a running `baglink serve`, then the right one: the lockout holds. Each
 * guess is counted before its password check, so guesses in flight together cannot get round the five tries.
 */
const MIN = 60_000;
const guesses = 50;

let dataDir: string;
let station: Served;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'baglink-race-'));
  const added = baglink(
    ['user', 'add', '--data-dir', dataDir, '--username', 'admin', '--role', 'admin', '--password-stdin'],
    'admin-password\n',
  );
  expect(added.code, added.stderr).toBe(0);
  station = await serve(dataDir);
  await asAdmin(async () => {
    for (const [username, badge] of [
      ['sup1', 'BDG-7001'],
      ['sup2', 'BDG-7002'],
    ] as const) {
      const created = await station.call('users.create', {
        username,
        role: 'supervisor',
        password: `${username}-password`,
        badge,
        pin: '482913',
      });
      expect(created.ok, JSON.stringify(created)).toBe(true);
    }
  });
});

afterAll(async () => {
  await station?.stop('SIGKILL');
  rmSync(dataDir, { recursive: true, force: true });
});

async function asAdmin<T>(fn: () => Promise<T>): Promise<T> {
  const login = await station.call('auth.login', { username: 'admin', password: 'admin-password' });
  expect(login.ok).toBe(true);
  try {
    return await fn();
  } finally {
    await station.call('auth.logout');
  }
}

function codes(answers: Answer[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const a of answers) {
    const code = a.ok ? 'ok' : (a.error?.code ?? '?');
    counts[code] = (counts[code] ?? 0) + 1;
  }
  return counts;
}

/** The account as an admin sees it, and its lock entries in the audit trail. */
async function lockState(username: string) {
  return asAdmin(async () => {
    const users = (await station.call('users.list')).value as { username: string; lockedUntil: number }[];
    const audit = await station.call('audit.list', { limit: 500 });
    const rows = audit.value.rows as { action: string; entityId: string }[];
    return {
      lockedUntil: users.find((u) => u.username === username)?.lockedUntil ?? null,
      locks: rows.filter((r) => r.action === 'login.locked' && r.entityId === username).length,
    };
  });
}

describe('the five-try lockout under parallel guesses', () => {
  it.each([
    [
      'password',
      'sup1',
      (i: number) => ({ username: 'sup1', password: `wrong-${i}` }),
      { username: 'sup1', password: 'sup1-password' },
    ],
    [
      'badge + PIN',
      'sup2',
      (i: number) => ({ badge: 'BDG-7002', pin: String(100000 + i) }),
      { badge: 'BDG-7002', pin: '482913' },
    ],
  ])(
    '%s: 50 wrong at once, then the right one: refused, locked for 15 minutes, one lock in the audit trail',
    async (_path, username, wrong, right) => {
      const before = Date.now();
      const answers = await Promise.all(
        Array.from({ length: guesses }, (_, i) => station.call('auth.login', wrong(i))),
      );
      expect(answers.some((a) => a.ok)).toBe(false);
      const counted = codes(answers);
      expect(counted.account_locked).toBeGreaterThanOrEqual(guesses - 5);

      const afterRace = await station.call('auth.login', right);
      expect(afterRace.ok).toBe(false);
      expect(afterRace.error?.code).toBe('account_locked');
      expect((await station.call('auth.whoami')).value).toBeNull();

      const state = await lockState(username);
      expect(state.locks).toBe(1);
      expect(state.lockedUntil).toBeGreaterThanOrEqual(before + 15 * MIN);
      expect(state.lockedUntil).toBeLessThanOrEqual(Date.now() + 15 * MIN);
      // The other login path of the same account is locked too.
      const other =
        username === 'sup1'
          ? { badge: 'BDG-7001', pin: '482913' }
          : { username, password: `${username}-password` };
      expect((await station.call('auth.login', other)).error?.code).toBe('account_locked');
    },
    60_000,
  );

  it('an unknown name is answered "locked" after as many tries as a real one, so the answer tells no name apart', async () => {
    const answers: string[] = [];
    for (let i = 0; i < 6; i++) {
      const a = await station.call('auth.login', { username: 'nobody-here', password: `wrong-${i}` });
      answers.push(a.error?.code ?? 'ok');
    }
    expect(answers).toEqual([...Array(5).fill('bad_credentials'), 'account_locked']);
  });
});
