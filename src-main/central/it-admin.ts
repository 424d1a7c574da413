/**
 * IT's own changes at the centre (`baglink central ...`), over IT's connection: users and admins, a station's
 * area and capacity, its secret. None of these can come from a station's push.
 */
import type pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { nameFree, newStationSecret, proofHash, withAdmin } from './enrol.ts';
import type { Role } from '../../src-shared/roles.ts';

/** The station id written on rows IT creates at the centre (no station made them). */
export const CENTRE_ID = '00000000-0000-0000-0000-000000000000';

export interface CentralUser {
  username: string;
  role: Role;
  /** The areas the user may work in (upper-cased); the first is the home area. Empty for an admin of all areas. */
  areas: string[];
  displayName?: string;
  /** argon2id hashes (the CLI hashes what IT types); a new user needs a password hash. */
  passwordHash?: string;
  pinHash?: string | null;
  badgeCode?: string | null;
  active?: boolean;
}

/**
 * IT's session prints no bind parameter into the server log (a user's argon2 hashes would give an offline guess
 * at a short PIN), whatever log_statement says. log_parameter_max_length is a superuser's setting: IT's role
 * needs it as its own default (ALTER ROLE ... SET, by a superuser) or the right to set it.
 */
async function keepParametersOutOfLog(c: pg.Client): Promise<void> {
  await c.query('set log_parameter_max_length_on_error = 0');
  await c.query('set log_parameter_max_length = 0').catch(() => undefined);
  const r = await c.query<{ v: string }>(`select current_setting('log_parameter_max_length') as v`);
  if (r.rows[0]?.v !== '0')
    throw new Error(
      "IT's role would print users' password hashes into the server log: as a superuser, run " +
        'ALTER ROLE <IT role> SET log_parameter_max_length = 0 (README, "The centre (IT)").',
    );
}

/**
 * Creates or changes a user. Every change is one row in the change log, so the stations of the user's areas
 * get it, and the stations of an area the user left get a "forget" row that deletes the hashes.
 */
export async function setUser(adminUrl: string, u: CentralUser): Promise<{ created: boolean }> {
  const areas = [...new Set(u.areas.map((a) => a.trim().toUpperCase()).filter(Boolean))];
  return withAdmin(adminUrl, async (c) => {
    await keepParametersOutOfLog(c);
    const existing = await c.query('select id from users where username = $1', [u.username]);
    if (existing.rowCount === 0) {
      if (!u.passwordHash) throw new Error(`User ${u.username} is new: give a password.`);
      await c.query(
        `insert into users (id, username, display_name, role, dispatch_area, areas, password_hash, badge_code,
           pin_hash, active, station_id, created_at)
         values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
        [
          uuidv7(),
          u.username,
          u.displayName ?? u.username,
          u.role,
          areas[0] ?? null,
          areas,
          u.passwordHash,
          u.badgeCode ?? null,
          u.pinHash ?? null,
          u.active ?? true,
          CENTRE_ID,
          Date.now(),
        ],
      );
      return { created: true };
    }
    await c.query(
      `update users set role = $2, areas = $3, dispatch_area = $4, display_name = coalesce($5, display_name),
         password_hash = coalesce($6, password_hash), pin_hash = coalesce($7, pin_hash),
         badge_code = coalesce($8, badge_code), active = coalesce($9, active), updated_at = now()
       where username = $1`,
      [
        u.username,
        u.role,
        areas,
        areas[0] ?? null,
        u.displayName ?? null,
        u.passwordHash ?? null,
        u.pinHash ?? null,
        u.badgeCode ?? null,
        u.active ?? null,
      ],
    );
    return { created: false };
  });
}

function stationNotFound(id: string): Error {
  return new Error(`There is no station ${id} at this centre: "baglink central status" lists them.`);
}

/** A station's dispatch area and parent capacity: only IT changes them (a push that tries is refused). */
export async function setStation(
  adminUrl: string,
  stationId: string,
  change: { dispatchArea?: string; parentCapacity?: number; name?: string },
): Promise<void> {
  await withAdmin(adminUrl, async (c) => {
    if (change.name !== undefined) await nameFree(c, change.name, stationId);
    const r = await c.query(
      `update stations set dispatch_area = coalesce($2, dispatch_area), parent_capacity = coalesce($3, parent_capacity),
         name = coalesce($4, name) where id = $1`,
      [
        stationId,
        change.dispatchArea?.trim().toUpperCase() ?? null,
        change.parentCapacity ?? null,
        change.name ?? null,
      ],
    );
    if (r.rowCount === 0) throw stationNotFound(stationId);
  });
}

/** A new secret for a station (the old one stops working at once); also lifts a revocation. */
export async function rotateSecret(adminUrl: string, stationId: string): Promise<string> {
  const secret = newStationSecret();
  await withAdmin(adminUrl, async (c) => {
    const r = await c.query(
      'update stations set proof_hash = $2, secret_set_at = now(), revoked_at = null where id = $1',
      [stationId, proofHash(secret)],
    );
    if (r.rowCount === 0) throw stationNotFound(stationId);
  });
  return secret;
}

/** From now on every call of the station is refused with a sentence; its rows at the centre stay. */
export async function revokeStation(adminUrl: string, stationId: string): Promise<void> {
  await withAdmin(adminUrl, async (c) => {
    const r = await c.query('update stations set revoked_at = now() where id = $1', [stationId]);
    if (r.rowCount === 0) throw stationNotFound(stationId);
  });
}

export interface Refusal {
  id: number;
  station: string;
  seq: number | null;
  op: string;
  kind: string;
  actor: string | null;
  subject: string | null;
  flaggedOnly: boolean;
  at: string;
}

/** What the centre refused (or accepted and flagged), newest first. */
export async function listRefusals(adminUrl: string, limit = 100): Promise<Refusal[]> {
  return withAdmin(adminUrl, async (c) => {
    const r = await c.query(
      `select r.id::int as id, coalesce(s.name, r.station_id::text) as station, r.seq::int as seq, r.op, r.kind,
         r.actor, r.subject, r.flagged_only as "flaggedOnly", to_char(r.at, 'YYYY-MM-DD HH24:MI:SS TZ') as at
       from refusals r left join stations s on s.id = r.station_id order by r.id desc limit $1`,
      [limit],
    );
    return r.rows as Refusal[];
  });
}
