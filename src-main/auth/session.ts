import type { Context } from '../core/context.ts';
import { StationError } from '../core/errors.ts';
import type { Operator } from '../core/types.ts';
import type { UserRow } from '../store/user-repo.ts';
import { MIN_PIN_LENGTH, verifyNobody, verifySecret } from './passwords.ts';

export type LoginInput = { username: string; password: string } | { badge: string; pin: string };

export interface SessionInfo {
  operator: Operator;
  since: number;
  idleExpiresAt: number;
}

export function operatorOf(user: UserRow): Operator {
  return {
    id: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    dispatchArea: user.dispatchArea,
  };
}

/**
 * One operator is logged in on a station at a time: a new login replaces the previous one (a shift change),
 * and a session ends by itself after the profile's idle time. Failed logins count per account; after
 * lockoutAttempts the account is locked for lockoutMs.
 */
export function createSessionService(ctx: Context, onChange: (session: SessionInfo | null) => void) {
  let current: { operator: Operator; since: number; lastActivity: number } | null = null;

  function info(): SessionInfo | null {
    if (!current) return null;
    return {
      operator: current.operator,
      since: current.since,
      idleExpiresAt: current.lastActivity + ctx.profile.sessionIdleMs,
    };
  }

  function audit(action: string, userId: string | null, entityId: string, after: unknown = null) {
    ctx.journal.audit({
      at: ctx.clock.now(),
      userId,
      action,
      entity: 'session',
      entityId,
      before: null,
      after,
    });
  }

  function end(reason: 'logout' | 'idle' | 'replaced'): void {
    if (!current) return;
    const { operator } = current;
    current = null;
    audit(`session.${reason}`, operator.id, operator.username);
    onChange(null);
  }

  function recordFailure(user: UserRow): void {
    const now = ctx.clock.now();
    const attempts = user.failedAttempts + 1;
    const lock = attempts >= ctx.profile.lockoutAttempts;
    ctx.users.loginFailed(user.id, lock ? 0 : attempts, lock ? now + ctx.profile.lockoutMs : null, now);
    audit(lock ? 'login.locked' : 'login.failed', user.id, user.username, { attempts });
  }

  return {
    async login(input: LoginInput): Promise<SessionInfo> {
      const byBadge = 'badge' in input;
      const user = byBadge
        ? ctx.users.byBadge(input.badge.trim().toUpperCase())
        : ctx.users.byUsername(input.username.trim().toLowerCase());
      const secret = byBadge ? input.pin : input.password;
      const wrong = byBadge ? 'bad_badge' : 'bad_credentials';
      if (!user) {
        await verifyNobody(secret);
        audit('login.unknown', null, byBadge ? 'badge' : input.username.trim().toLowerCase().slice(0, 64));
        throw new StationError(wrong);
      }
      const now = ctx.clock.now();
      if (user.lockedUntil && user.lockedUntil > now) {
        throw new StationError('account_locked', { until: new Date(user.lockedUntil).toLocaleTimeString() });
      }
      const hash = byBadge ? user.pinHash : user.passwordHash;
      const good = hash ? await verifySecret(hash, secret) : await verifyNobody(secret);
      // Re-read: another login may have changed the counters while argon2 ran.
      const fresh = ctx.users.byId(user.id) ?? user;
      if (!good) {
        recordFailure(fresh);
        throw new StationError(wrong);
      }
      if (!fresh.active) throw new StationError('account_disabled');
      // A PIN set before PINs had to be 6 digits: right, but no longer enough to log in with.
      if (byBadge && secret.length < MIN_PIN_LENGTH)
        throw new StationError('pin_too_short', { min: MIN_PIN_LENGTH });
      if (fresh.role === 'dock' && fresh.dispatchArea && fresh.dispatchArea !== ctx.station.dispatchArea) {
        throw new StationError('wrong_area', {
          userArea: fresh.dispatchArea,
          stationArea: ctx.station.dispatchArea,
        });
      }
      ctx.users.loginSucceeded(fresh.id, ctx.clock.now());
      const previous = current?.operator;
      if (previous) end('replaced');
      current = { operator: operatorOf(fresh), since: ctx.clock.now(), lastActivity: ctx.clock.now() };
      audit('session.login', fresh.id, fresh.username, { via: byBadge ? 'badge' : 'password' });
      const session = info() as SessionInfo;
      onChange(session);
      return session;
    },

    logout(): void {
      end('logout');
    },

    /** The operator now, or null; ends an idle session. Counts as activity when touch is set. */
    operator(touch = true): Operator | null {
      if (!current) return null;
      const now = ctx.clock.now();
      if (now - current.lastActivity > ctx.profile.sessionIdleMs) {
        end('idle');
        return null;
      }
      if (touch) current.lastActivity = now;
      return current.operator;
    },

    info,

    /** Called after an admin changes a user: the session follows the new role or ends if switched off. */
    refresh(userId: string): void {
      if (!current || current.operator.id !== userId) return;
      const user = ctx.users.byId(userId);
      if (!user || !user.active) end('logout');
      else current.operator = operatorOf(user);
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;
