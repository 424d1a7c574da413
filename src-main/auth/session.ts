import type { Context } from '../store/context.ts';
import { StationError } from '../../src-shared/errors.ts';
import type { Operator } from '../../src-shared/domain.ts';
import type { UserRow } from '../store/user-repo.ts';
import type { SessionInfo } from '../../src-shared/users.ts';
import { beginAttempt, failAttempt, isLocked } from './lockout.ts';
import { createLoginGate } from './login-gate.ts';
import { MIN_PIN_LENGTH, verifyNobody, verifySecret } from './passwords.ts';
import { createStrangerCounters } from './strangers.ts';

const MAX_LOCKOUT_ATTEMPTS = 10;
const MIN_LOCKOUT_MS = 60_000;

/** newPin: a new PIN given with the old one, which a PIN shorter than the rule needs to log in. */
export type LoginInput =
  { username: string; password: string } | { badge: string; pin: string; newPin?: string | undefined };

type Via = 'password' | 'pin';
const failedAction: Record<Via, string> = { password: 'login.failed', pin: 'login.failed_pin' };

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
 * lockoutAttempts the account is locked for lockoutMs (the rules are in lockout.ts).
 */
export function createSessionService(
  ctx: Context,
  onChange: (session: SessionInfo | null) => void,
  /** Sets a user's own new PIN (users.changeOwnPin): checks it, audits it, sends it to the centre. */
  changeOwnPin: (user: UserRow, pin: string) => Promise<void> = () => Promise.resolve(),
) {
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

  // Whatever a saved profile says, the lockout stays a lockout: at most 10 tries, locked at least a minute.
  const rules = () => ({
    attempts: Math.min(Math.max(ctx.profile.lockoutAttempts, 1), MAX_LOCKOUT_ATTEMPTS),
    lockMs: Math.max(ctx.profile.lockoutMs, MIN_LOCKOUT_MS),
  });
  const gate = createLoginGate();
  const strangers = createStrangerCounters();

  function locked(until: number): StationError {
    return new StationError('account_locked', { until: new Date(until).toLocaleTimeString() });
  }

  /** Why a user with the right secret still may not log in here, or null. */
  function refusalOf(user: UserRow): StationError | null {
    if (!user.active) return new StationError('account_disabled');
    if (user.role === 'dock' && user.dispatchArea && user.dispatchArea !== ctx.station.dispatchArea) {
      return new StationError('wrong_area', {
        userArea: user.dispatchArea,
        stationArea: ctx.station.dispatchArea,
      });
    }
    return null;
  }

  /** Counts the attempt and decides "locked" in one transaction, before the slow verify. */
  function begin(user: UserRow, via: Via) {
    return ctx.transaction(() => {
      const now = ctx.clock.now();
      const fresh = ctx.users.byId(user.id) ?? user;
      const step = beginAttempt(fresh, now, rules());
      if (step.go || step.lockedNow) {
        ctx.users.loginFailed(user.id, step.next.failedAttempts, step.next.lockedUntil, now);
      }
      if (!step.go && step.lockedNow) {
        audit('login.locked', user.id, user.username, { attempts: fresh.failedAttempts, via });
      }
      return step;
    });
  }

  /**
   * After the verify. Once another attempt has locked the account, every attempt still in flight is answered
   * "locked", right or wrong, so the answers cannot tell the right guess from the others.
   */
  function settle(user: UserRow, good: boolean, via: Via, pinChangeNeeded: boolean): UserRow {
    // The transaction returns its refusal rather than throwing it: a throw would roll back the count.
    const outcome = ctx.transaction((): UserRow | StationError => {
      const now = ctx.clock.now();
      const fresh = ctx.users.byId(user.id) ?? user;
      if (isLocked(fresh, now)) {
        if (!good) audit(failedAction[via], user.id, user.username, { attempts: fresh.failedAttempts });
        return locked(fresh.lockedUntil as number);
      }
      if (good) {
        // The right secret gives the try back; the login itself may still be refused (switched off, area).
        // A PIN set before PINs had to be 6 digits: right, but it opens the station only with a new one.
        const refusal =
          refusalOf(fresh) ??
          (pinChangeNeeded ? new StationError('pin_change_required', { min: MIN_PIN_LENGTH }) : null);
        if (refusal) ctx.users.loginFailed(user.id, 0, null, now);
        else ctx.users.loginSucceeded(user.id, now);
        return refusal ?? fresh;
      }
      const step = failAttempt(fresh, now, rules());
      ctx.users.loginFailed(user.id, step.next.failedAttempts, step.next.lockedUntil, now);
      const action = step.lockedNow ? 'login.locked' : failedAction[via];
      audit(action, user.id, user.username, { attempts: fresh.failedAttempts, via });
      return new StationError(via === 'pin' ? 'bad_badge' : 'bad_credentials');
    });
    if (outcome instanceof StationError) throw outcome;
    return outcome;
  }

  /** An unknown name is counted and locked like an account, so "locked" never tells that a name exists. */
  async function refuseStranger(name: string, secret: string, via: Via): Promise<never> {
    const key = `${via}:${name}`;
    const now = ctx.clock.now();
    const begun = beginAttempt(strangers.get(key), now, rules());
    strangers.set(key, begun.next);
    // Like a locked account, a locked name is refused without a write (the time taken would tell them apart).
    if (!begun.go) throw locked(begun.until);
    audit('login.unknown', null, via === 'pin' ? 'badge' : name.slice(0, 64));
    await gate(key, () => verifyNobody(secret));
    const after = strangers.get(key);
    if (isLocked(after, ctx.clock.now())) throw locked(after.lockedUntil as number);
    strangers.set(key, failAttempt(after, ctx.clock.now(), rules()).next);
    throw new StationError(via === 'pin' ? 'bad_badge' : 'bad_credentials');
  }

  /**
   * Checks a username and password or a badge and PIN with the lockout (counted before the slow verify, so
   * parallel guesses cannot get round it) and answers the user; the session is not touched.
   */
  async function verify(input: LoginInput): Promise<{ user: UserRow; via: Via }> {
    const via: Via = 'badge' in input ? 'pin' : 'password';
    const name = 'badge' in input ? input.badge.trim().toUpperCase() : input.username.trim().toLowerCase();
    const secret = 'badge' in input ? input.pin : input.password;
    const newPin = 'badge' in input ? input.newPin : undefined;
    // Checked before the old PIN, so a mistyped new one costs no attempt.
    if (newPin !== undefined && (newPin.length < MIN_PIN_LENGTH || !/^\d+$/.test(newPin)))
      throw new StationError('weak_pin', { min: MIN_PIN_LENGTH });
    const user = via === 'pin' ? ctx.users.byBadge(name) : ctx.users.byUsername(name);
    if (!user) return refuseStranger(name, secret, via);
    const begun = begin(user, via);
    if (!begun.go) throw locked(begun.until);
    const hash = via === 'pin' ? user.pinHash : user.passwordHash;
    const good = await gate(user.id, () => (hash ? verifySecret(hash, secret) : verifyNobody(secret)));
    const shortPin = via === 'pin' && secret.length < MIN_PIN_LENGTH;
    return { user: settle(user, good, via, shortPin && newPin === undefined), via };
  }

  return {
    /**
     * Another user's credentials typed on this station's screen (a supervisor acknowledging a weight on a dock
     * worker's session): the same checks and lockout as a login, the logged-in session stays as it is.
     */
    async confirm(input: LoginInput): Promise<Operator> {
      const { user } = await verify(input);
      return operatorOf(user);
    },

    async login(input: LoginInput): Promise<SessionInfo> {
      const { user: fresh, via } = await verify(input);
      const newPin = 'badge' in input ? input.newPin : undefined;
      if (newPin !== undefined) await changeOwnPin(fresh, newPin);
      const previous = current?.operator;
      if (previous) end('replaced');
      current = { operator: operatorOf(fresh), since: ctx.clock.now(), lastActivity: ctx.clock.now() };
      audit('session.login', fresh.id, fresh.username, {
        via: via === 'pin' ? 'badge' : 'password',
        ...(newPin !== undefined ? { newPin: true } : {}),
      });
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
