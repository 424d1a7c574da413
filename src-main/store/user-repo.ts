import type { Sqlite } from './open.ts';
import type { Role } from '../../src-shared/domain.ts';

export interface UserRow {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  dispatchArea: string | null;
  passwordHash: string;
  badgeCode: string | null;
  pinHash: string | null;
  active: number;
  failedAttempts: number;
  lockedUntil: number | null;
  lastLoginAt: number | null;
  createdAt: number;
}

const userColumns = `id, username, display_name as displayName, role, dispatch_area as dispatchArea,
  password_hash as passwordHash, badge_code as badgeCode, pin_hash as pinHash, active,
  failed_attempts as failedAttempts, locked_until as lockedUntil, last_login_at as lastLoginAt, created_at as createdAt`;

export function createUserRepo(sqlite: Sqlite) {
  const byUsername = sqlite.prepare(`select ${userColumns} from users where username = ?`);
  const byBadge = sqlite.prepare(`select ${userColumns} from users where badge_code = ?`);
  const byId = sqlite.prepare(`select ${userColumns} from users where id = ?`);
  const all = sqlite.prepare(`select ${userColumns} from users order by username`);
  const count = sqlite.prepare(`select count(*) as n from users`);
  const activeAdmins = sqlite.prepare(`select count(*) as n from users where role = 'admin' and active = 1`);
  const insert = sqlite.prepare(
    `insert into users (id, username, display_name, role, dispatch_area, password_hash, badge_code, pin_hash, active,
       created_at, updated_at)
     values (@id, @username, @displayName, @role, @dispatchArea, @passwordHash, @badgeCode, @pinHash, 1, @at, @at)`,
  );
  const update = sqlite.prepare(
    `update users set display_name = @displayName, role = @role, dispatch_area = @dispatchArea,
       password_hash = @passwordHash, badge_code = @badgeCode, pin_hash = @pinHash, active = @active,
       failed_attempts = @failedAttempts, locked_until = @lockedUntil, updated_at = @at where id = @id`,
  );
  const loginFailed = sqlite.prepare(
    `update users set failed_attempts = ?, locked_until = ?, updated_at = ? where id = ?`,
  );
  const loginSucceeded = sqlite.prepare(
    `update users set failed_attempts = 0, locked_until = null, last_login_at = ?, updated_at = ? where id = ?`,
  );

  return {
    byUsername: (username: string) => byUsername.get(username) as UserRow | undefined,
    byBadge: (badge: string) => byBadge.get(badge) as UserRow | undefined,
    byId: (id: string) => byId.get(id) as UserRow | undefined,
    all: () => all.all() as UserRow[],
    count: () => (count.get() as { n: number }).n,
    activeAdmins: () => (activeAdmins.get() as { n: number }).n,
    insert(
      u: Omit<UserRow, 'active' | 'failedAttempts' | 'lockedUntil' | 'lastLoginAt' | 'createdAt'> & {
        at: number;
      },
    ) {
      insert.run(u);
    },
    update(u: UserRow & { at: number }) {
      update.run(u);
    },
    loginFailed(id: string, failedAttempts: number, lockedUntil: number | null, at: number) {
      loginFailed.run(failedAttempts, lockedUntil, at, id);
    },
    loginSucceeded(id: string, at: number) {
      loginSucceeded.run(at, at, id);
    },
  };
}

export type UserRepo = ReturnType<typeof createUserRepo>;
