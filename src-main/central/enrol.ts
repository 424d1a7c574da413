import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';

/** What a station needs to join the centre: printed by `central add-station`, read by `join`. */
export interface Enrolment {
  stationId: string;
  name: string;
  dispatchArea: string;
  /** postgres://role:password@host:port/db?sslmode=... : a secret, never logged. */
  url: string;
  /** PEM of the CA that signed the server certificate, for sslmode=verify-full. */
  ca?: string;
}

/** The station role's name: lower-case, from the station id, so it is unique and safe as an identifier. */
export function stationRoleName(stationId: string): string {
  return `baglink_st_${stationId.replace(/-/g, '').slice(-16)}`;
}

/**
 * Creates the station row and its LOGIN role (member of baglink_station: EXECUTE on the sync functions and
 * nothing else), with a random password. adminUrl is IT's connection; stationHost overrides the host part the
 * station will use when it differs from the one IT uses.
 */
export async function addStation(options: {
  adminUrl: string;
  name: string;
  dispatchArea: string;
  stationUrlBase?: string;
  ca?: string;
}): Promise<Enrolment> {
  const stationId = uuidv7();
  const role = stationRoleName(stationId);
  const password = randomBytes(24).toString('base64url');
  const client = new pg.Client({ connectionString: options.adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query('begin');
    await client.query(
      `create role ${role} login password ${client.escapeLiteral(password)} in role baglink_station
       connection limit 4`,
    );
    await client.query(`alter role ${role} set statement_timeout = '60s'`);
    await client.query(`alter role ${role} set idle_in_transaction_session_timeout = '60s'`);
    await client.query(`insert into stations (id, name, dispatch_area, role_name) values ($1, $2, $3, $4)`, [
      stationId,
      options.name,
      options.dispatchArea.toUpperCase(),
      role,
    ]);
    await client.query('commit');
  } catch (e) {
    await client.query('rollback').catch(() => undefined);
    throw e;
  } finally {
    await client.end();
  }
  const url = new URL(options.stationUrlBase ?? options.adminUrl);
  url.username = role;
  url.password = password;
  const enrolment: Enrolment = {
    stationId,
    name: options.name,
    dispatchArea: options.dispatchArea.toUpperCase(),
    url: url.toString(),
  };
  if (options.ca) enrolment.ca = options.ca;
  return enrolment;
}

/** The enrolment as one line to paste into `baglink join --enrolment ...`. */
export function encodeEnrolment(e: Enrolment): string {
  return Buffer.from(JSON.stringify(e), 'utf8').toString('base64url');
}

export function decodeEnrolment(text: string): Enrolment {
  const parsed = JSON.parse(Buffer.from(text.trim(), 'base64url').toString('utf8')) as Partial<Enrolment>;
  if (
    typeof parsed.stationId !== 'string' ||
    typeof parsed.url !== 'string' ||
    typeof parsed.name !== 'string'
  )
    throw new Error('not an enrolment');
  return {
    stationId: parsed.stationId,
    name: parsed.name,
    dispatchArea: String(parsed.dispatchArea ?? ''),
    url: parsed.url,
    ...(parsed.ca ? { ca: parsed.ca } : {}),
  };
}

/** The connection string with its password masked, for status and logs. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://***';
  }
}
