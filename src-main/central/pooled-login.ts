/**
 * The pooled station login's own settings, which every station shares. PostgreSQL lets any role change its own
 * defaults (`ALTER ROLE current_user SET ...`, also `IN DATABASE`) and its own password, and nothing in
 * PostgreSQL can forbid that to the pooled login. So: PgBouncer pins the settings the sync depends on for every
 * transaction (pinnedSessionSettings), `central status` shows any default or password that is not what
 * `central migrate` set (pooledLoginHealth), and `central migrate` / `central repair-login` put them back.
 */
import { createHash, createHmac, pbkdf2Sync } from 'node:crypto';
import type pg from 'pg';
import { pooledLogin } from './enrol.ts';

/** The role defaults `central migrate` gives the pooled login (drizzle/central/0004), as pg_db_role_setting shows them. */
export const pooledRoleDefaults = [
  'statement_timeout=30s',
  'idle_in_transaction_session_timeout=10s',
  'log_parameter_max_length=0',
  'log_parameter_max_length_on_error=0',
];

/**
 * What PgBouncer sets on every server connection when it opens it and after every statement, so a default a
 * station wrote on the shared role cannot make every push read-only, serializable, asynchronously committed,
 * memory-hungry, fail on the first lock it waits for, close PgBouncer's idle connections (a backend per push),
 * plan badly or print parameters (proofs) into the error log. The sync functions fix their own search_path;
 * session_replication_role and the log settings need a superuser. Planner switches (enable_*) a station may
 * still write: `central status` names them and `central repair-login` removes them. synchronousCommit and workMemKb are the
 * values IT's own session has when the config is written (the server's, unless IT's role sets its own). No
 * quotes: PgBouncer's ini takes them as they are.
 */
export function pinnedSessionSettings(server: { synchronousCommit: string; workMemKb: number }): string {
  return [
    'SET SESSION CHARACTERISTICS AS TRANSACTION ISOLATION LEVEL READ COMMITTED, READ WRITE, NOT DEFERRABLE',
    `SET synchronous_commit = ${server.synchronousCommit}`,
    `SET work_mem = ${server.workMemKb}`,
    'SET statement_timeout = 30000',
    'SET idle_in_transaction_session_timeout = 10000',
    'SET lock_timeout = 0',
    'SET idle_session_timeout = 0',
    'SET plan_cache_mode = auto',
    'SET log_parameter_max_length_on_error = 0',
  ].join('; ');
}

/**
 * After every transaction: RESET ALL keeps named prepared statements, cursors WITH HOLD and LISTEN on the server
 * connection, where the next station would find them; these go too. Not DISCARD ALL: that also drops the sync
 * functions' cached plans.
 */
export function serverResetQuery(pins: string): string {
  return `RESET ALL; DEALLOCATE ALL; CLOSE ALL; UNLISTEN *; ${pins}`;
}

/** The values the pins keep, as IT's session has them (unaffected by the pooled role's defaults). */
export async function serverSettings(
  c: pg.Client,
): Promise<{ synchronousCommit: string; workMemKb: number }> {
  const r = await c.query<{ sc: string; wm: string }>(
    `select current_setting('synchronous_commit') as sc,
       (select setting from pg_settings where name = 'work_mem') as wm`,
  );
  const row = r.rows[0]!;
  if (!/^[a-z_]+$/.test(row.sc)) throw new Error(`unexpected synchronous_commit ${row.sc}`);
  return { synchronousCommit: row.sc, workMemKb: Number(row.wm) };
}

export interface PooledLoginHealth {
  role: string;
  /** Role defaults central migrate did not set (a station may have written them), "name=value [in database d]". */
  unexpectedDefaults: string[];
  /** Role defaults central migrate set that are gone. */
  missingDefaults: string[];
  /** Whether PostgreSQL still holds the password PgBouncer and the enrolment lines carry; null if unreadable. */
  passwordMatches: boolean | null;
}

async function roleSettings(
  c: pg.Client,
  role: string,
): Promise<{ database: string | null; setting: string }[]> {
  const r = await c.query<{ database: string | null; setconfig: string[] }>(
    `select d.datname as database, s.setconfig from pg_db_role_setting s
       left join pg_database d on d.oid = s.setdatabase
     where s.setrole = (select oid from pg_roles where rolname = $1)`,
    [role],
  );
  return r.rows.flatMap((row) => row.setconfig.map((setting) => ({ database: row.database, setting })));
}

export async function pooledLoginHealth(c: pg.Client): Promise<PooledLoginHealth> {
  const login = await pooledLogin(c);
  const settings = await roleSettings(c, login.role);
  const global = settings.filter((s) => s.database === null).map((s) => s.setting);
  return {
    role: login.role,
    unexpectedDefaults: settings
      .filter((s) => s.database !== null || !pooledRoleDefaults.includes(s.setting))
      .map((s) => (s.database === null ? s.setting : `${s.setting} in database ${s.database}`)),
    missingDefaults: pooledRoleDefaults.filter((s) => !global.includes(s)),
    passwordMatches: await passwordMatches(c, login),
  };
}

/** Whether the stored SCRAM (or md5) verifier is the one of this password. Needs a superuser to read pg_authid. */
async function passwordMatches(
  c: pg.Client,
  login: { role: string; password: string },
): Promise<boolean | null> {
  const r = await c
    .query<{ p: string | null }>('select rolpassword as p from pg_authid where rolname = $1', [login.role])
    .catch(() => null);
  const stored = r?.rows[0]?.p;
  if (r === null || stored === undefined) return null;
  return stored !== null && verifierMatches(stored, login.role, login.password);
}

export function verifierMatches(stored: string, role: string, password: string): boolean {
  const scram = /^SCRAM-SHA-256\$(\d+):([^$]+)\$([^:]+):(.+)$/.exec(stored);
  if (scram) {
    const salted = pbkdf2Sync(password, Buffer.from(scram[2]!, 'base64'), Number(scram[1]), 32, 'sha256');
    const clientKey = createHmac('sha256', salted).update('Client Key').digest();
    return createHash('sha256').update(clientKey).digest('base64') === scram[3];
  }
  if (stored.startsWith('md5'))
    return (
      stored ===
      `md5${createHash('md5')
        .update(password + role)
        .digest('hex')}`
    );
  return false;
}

/**
 * Puts the pooled login back as `central migrate` made it: only its defaults (every database), and the password
 * of central_settings. Setting the log defaults needs a superuser, as migrate does. Returns what it changed.
 */
export async function repairPooledLogin(c: pg.Client): Promise<PooledLoginHealth> {
  const before = await pooledLoginHealth(c);
  const role = c.escapeIdentifier(before.role);
  if (before.unexpectedDefaults.length > 0 || before.missingDefaults.length > 0) {
    for (const s of await roleSettings(c, before.role))
      if (s.database !== null)
        await c.query(`alter role ${role} in database ${c.escapeIdentifier(s.database)} reset all`);
    await c.query(`alter role ${role} reset all`);
    for (const setting of pooledRoleDefaults) {
      const [name, value] = setting.split('=') as [string, string];
      await c.query(`alter role ${role} set ${c.escapeIdentifier(name)} = ${c.escapeLiteral(value)}`);
    }
  }
  if (before.passwordMatches === false) {
    // Inside DO, so the password is never in the statement a server log prints.
    await c.query(`do $$ begin
      execute format('alter role %I password %L', (select value from central_settings where key = 'login_role'),
        (select value from central_settings where key = 'login_password'));
    end $$`);
  }
  return before;
}
