import { uuidv7 } from 'uuidv7';
import type { Context } from '../store/context.ts';
import { StationError } from '../../src-shared/errors.ts';
import type { Operator, Role } from '../../src-shared/domain.ts';
import type { UserRow } from '../store/user-repo.ts';
import type { UserView } from '../../src-shared/users.ts';
import { hashSecret, MIN_PASSWORD_LENGTH, MIN_PIN_LENGTH } from './passwords.ts';
import { requireRole } from '../core/roles.ts';
import { requirePlainText } from '../../src-shared/text.ts';

export interface NewUser {
  username: string;
  displayName?: string;
  role: Role;
  password: string;
  dispatchArea?: string | null;
  badge?: string | null;
  pin?: string | null;
}

export interface UserChange {
  username: string;
  displayName?: string;
  role?: Role;
  password?: string;
  dispatchArea?: string | null;
  badge?: string | null;
  pin?: string | null;
  active?: boolean;
  unlock?: boolean;
}

/** Dispatch areas are compared upper-case, as the station stores its own. */
function areaOf(area: string | null | undefined): string | null {
  return area?.trim().toUpperCase() || null;
}

function view(u: UserRow): UserView {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    dispatchArea: u.dispatchArea,
    hasBadge: !!u.badgeCode,
    active: !!u.active,
    lockedUntil: u.lockedUntil,
    lastLoginAt: u.lastLoginAt,
    createdAt: u.createdAt,
  };
}

/** For the audit log and the outbox: the user without secrets (the outbox row carries hashes separately). */
function publicFields(u: UserRow) {
  const { passwordHash: _p, pinHash: _q, failedAttempts: _f, ...rest } = u;
  return rest;
}

/**
 * User administration (admin role), and the first admin, created from the CLI with no one logged in. On a station
 * joined to a centre (`joined`), admin accounts and users of other areas belong to the centre: refused here.
 */
export function createUserService(
  ctx: Context,
  onUserChanged: (userId: string) => void,
  joined: () => boolean = () => false,
) {
  function ownedHere(user: { role: Role; dispatchArea?: string | null }) {
    if (!joined()) return;
    const area = areaOf(user.dispatchArea);
    if (user.role === 'admin' || (area !== null && area !== ctx.station.dispatchArea))
      throw new StationError('centre_owned');
  }
  function checkPassword(password: string) {
    if (password.length < MIN_PASSWORD_LENGTH)
      throw new StationError('weak_password', { min: MIN_PASSWORD_LENGTH });
  }
  function checkPin(pin: string | null | undefined) {
    if (pin && (pin.length < MIN_PIN_LENGTH || !/^\d+$/.test(pin))) {
      throw new StationError('weak_pin', { min: MIN_PIN_LENGTH });
    }
  }
  function badgeFree(badge: string | null, userId: string | null) {
    const holder = badge ? ctx.users.byBadge(badge) : undefined;
    if (holder && holder.id !== userId) throw new StationError('badge_taken');
  }
  /**
   * Dock and supervisor users go to the centre. Admins never do: the centre takes admins only from IT
   * (`baglink central set-user`) and refuses them from a station, so a station's own admin stays on it.
   */
  function sync(user: UserRow, at: number) {
    if (user.role === 'admin') return;
    ctx.journal.outbox(
      'user.upsert',
      { ...publicFields(user), passwordHash: user.passwordHash, pinHash: user.pinHash },
      at,
    );
  }

  /** firstUser: refuse unless the station has no users, checked inside the insert's transaction. */
  async function create(
    by: Operator | null,
    input: NewUser,
    firstUser = false,
    auditAction = 'user.create',
  ): Promise<UserView> {
    const username = input.username.trim().toLowerCase();
    // The CLI's `user add` reaches here without the contract: the same username and text rules.
    if (!/^[a-z0-9._-]{2,32}$/.test(username))
      throw new StationError('invalid_input', {
        detail: 'username: use 2 to 32 letters, digits, dots, dashes or underscores',
      });
    requirePlainText({
      displayName: input.displayName,
      dispatchArea: input.dispatchArea,
      badge: input.badge,
    });
    checkPassword(input.password);
    checkPin(input.pin);
    const badge = input.badge ? input.badge.trim().toUpperCase() : null;
    const passwordHash = await hashSecret(input.password);
    const pinHash = input.pin ? await hashSecret(input.pin) : null;
    return ctx.transaction(() => {
      if (firstUser && ctx.users.count() > 0) throw new StationError('station_has_users');
      if (ctx.users.byUsername(username)) throw new StationError('username_taken', { username });
      badgeFree(badge, null);
      const at = ctx.clock.now();
      const id = uuidv7();
      ctx.users.insert({
        id,
        username,
        displayName: input.displayName?.trim().normalize('NFC') || username,
        role: input.role,
        dispatchArea: areaOf(input.dispatchArea),
        passwordHash,
        badgeCode: badge,
        pinHash,
        at,
      });
      const user = ctx.users.byId(id) as UserRow;
      ctx.journal.audit({
        at,
        userId: by?.id ?? null,
        action: auditAction,
        entity: 'user',
        entityId: id,
        before: null,
        after: publicFields(user),
      });
      sync(user, at);
      return view(user);
    });
  }

  return {
    list(actor: Operator | null): UserView[] {
      requireRole(actor, 'admin');
      return ctx.users.all().map(view);
    },

    create(actor: Operator | null, input: NewUser): Promise<UserView> {
      const by = requireRole(actor, 'admin');
      ownedHere(input);
      return create(by, input);
    },

    /** Only while the station has no users at all: how the first admin is made (CLI or first-run screen). */
    createFirstAdmin: (input: Omit<NewUser, 'role'>, auditAction = 'user.create') =>
      create(null, { ...input, role: 'admin' }, true, auditAction),

    /** From the CLI on the station's own PC: whoever can run it already holds the data folder. */
    createFromConsole: (input: NewUser) => create(null, input),

    async update(actor: Operator | null, change: UserChange): Promise<UserView> {
      const by = requireRole(actor, 'admin');
      if (change.password !== undefined) checkPassword(change.password);
      checkPin(change.pin);
      const passwordHash = change.password !== undefined ? await hashSecret(change.password) : undefined;
      const pinHash = change.pin ? await hashSecret(change.pin) : change.pin;
      const result = ctx.transaction(() => {
        const username = change.username.trim().toLowerCase();
        const before = ctx.users.byUsername(username);
        if (!before) throw new StationError('user_not_found', { username });
        ownedHere(before);
        ownedHere({
          role: change.role ?? before.role,
          dispatchArea: change.dispatchArea === undefined ? before.dispatchArea : change.dispatchArea,
        });
        const badge =
          change.badge === undefined
            ? before.badgeCode
            : change.badge
              ? change.badge.trim().toUpperCase()
              : null;
        badgeFree(badge, before.id);
        const next: UserRow = {
          ...before,
          displayName: change.displayName?.trim() || before.displayName,
          role: change.role ?? before.role,
          dispatchArea: change.dispatchArea === undefined ? before.dispatchArea : areaOf(change.dispatchArea),
          passwordHash: passwordHash ?? before.passwordHash,
          badgeCode: badge,
          pinHash: pinHash === undefined ? before.pinHash : pinHash,
          active: change.active === undefined ? before.active : change.active ? 1 : 0,
          failedAttempts: change.unlock ? 0 : before.failedAttempts,
          lockedUntil: change.unlock ? null : before.lockedUntil,
        };
        const losesAdmin =
          before.role === 'admin' && before.active && (next.role !== 'admin' || !next.active);
        if (losesAdmin && ctx.users.activeAdmins() <= 1) throw new StationError('last_admin');
        const at = ctx.clock.now();
        ctx.users.update({ ...next, at });
        const after = ctx.users.byId(before.id) as UserRow;
        const changed = {
          ...publicFields(after),
          passwordChanged: passwordHash !== undefined,
          pinChanged: pinHash !== undefined && pinHash !== before.pinHash,
        };
        ctx.journal.audit({
          at,
          userId: by.id,
          action: 'user.update',
          entity: 'user',
          entityId: before.id,
          before: publicFields(before),
          after: changed,
        });
        sync(after, at);
        return view(after);
      });
      onUserChanged(result.id);
      return result;
    },

    /**
     * A user's own new PIN, given at login because their PIN is shorter than the rule (set before it): the
     * login has checked the old PIN. Audited as the user's own change, and sent to the centre like any change.
     */
    async changeOwnPin(user: UserRow, pin: string): Promise<void> {
      checkPin(pin);
      const pinHash = await hashSecret(pin);
      ctx.transaction(() => {
        const before = ctx.users.byId(user.id);
        if (!before) throw new StationError('user_not_found', { username: user.username });
        const at = ctx.clock.now();
        ctx.users.update({ ...before, pinHash, at });
        const after = ctx.users.byId(before.id) as UserRow;
        ctx.journal.audit({
          at,
          userId: before.id,
          action: 'user.update',
          entity: 'user',
          entityId: before.id,
          before: publicFields(before),
          after: { ...publicFields(after), passwordChanged: false, pinChanged: true, atLogin: true },
        });
        sync(after, at);
      });
    },

    count: () => ctx.users.count(),
  };
}

export type UserService = ReturnType<typeof createUserService>;
