import { createHash, randomBytes } from 'node:crypto';
import pg from 'pg';
import { uuidv7 } from 'uuidv7';
import { StationError } from '../../src-shared/errors.ts';

/** What a station needs to join the centre: printed by `central add-station`, read by `join`. */
export interface Enrolment {
  stationId: string;
  name: string;
  dispatchArea: string;
  /** postgres://<pooled role>:password@host:port/db?sslmode=... : shared by every station, never logged. */
  url: string;
  /** PEM of the CA that signed the server certificate, for sslmode=verify-full. */
  ca?: string;
  /**
   * The station's own secret (256 random bits, hex), sent as the proof on every sync call. The centre keeps
   * only its SHA-256; absent in an enrolment made before the pooled login (the station claims one then).
   */
  secret?: string;
}

/** The SHA-256 the centre stores for a station's secret. */
export function proofHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

export function newStationSecret(): string {
  return randomBytes(32).toString('hex');
}

/** The sslmodes that check the centre's certificate; anything else needs IT's explicit --insecure. */
export const verifiedSslModes = ['verify-full', 'verify-ca'];

/** Refuses a connection string that does not verify the centre's certificate, unless insecure is explicit. */
export function requireTls(url: string, insecure: boolean): void {
  const mode = new URL(url).searchParams.get('sslmode') ?? '';
  if (!insecure && !verifiedSslModes.includes(mode))
    throw new StationError('enrolment_insecure', { sslmode: mode || '(none)' });
}

export async function withAdmin<T>(adminUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** The pooled login every station uses (created by `central migrate`), read from the centre's settings. */
export async function pooledLogin(client: pg.Client): Promise<{ role: string; password: string }> {
  const rows = (
    await client.query<{ key: string; value: string }>(
      `select key, value from central_settings where key in ('login_role', 'login_password')`,
    )
  ).rows;
  const get = (k: string) => rows.find((r) => r.key === k)?.value;
  const role = get('login_role');
  const password = get('login_password');
  if (!role || !password)
    throw new Error('The centre has no pooled station login: run "baglink central migrate".');
  return { role, password };
}

/** The connection string a station uses: the pooled role on the station-facing address (PgBouncer). */
export function stationUrl(base: string, login: { role: string; password: string }): string {
  const url = new URL(base);
  url.username = login.role;
  url.password = login.password;
  return url.toString();
}

/**
 * Where stations connect (PgBouncer) and the CA of its certificate, kept at the centre for a station enrolled
 * before the pooled login: its old role logged in to PostgreSQL directly, where pg_hba refuses the pooled login,
 * so its claim (sync.claim_secret) hands this address over with the login. No credentials are kept in it.
 */
export async function setStationAddress(
  adminUrl: string,
  o: { stationUrlBase: string; ca?: string; insecure?: boolean },
): Promise<string> {
  requireTls(o.stationUrlBase, o.insecure ?? false);
  const url = new URL(o.stationUrlBase);
  url.username = '';
  url.password = '';
  await withAdmin(adminUrl, async (c) => {
    await c.query(
      `insert into central_settings (key, value) values ('station_url', $1)
       on conflict (key) do update set value = excluded.value`,
      [url.toString()],
    );
    if (o.ca)
      await c.query(
        `insert into central_settings (key, value) values ('station_ca', $1)
         on conflict (key) do update set value = excluded.value`,
        [o.ca],
      );
    else await c.query(`delete from central_settings where key = 'station_ca'`);
  });
  return url.toString();
}

/** Station names are unique among the stations not revoked (case-insensitive), as a push's rename is judged. */
export async function nameFree(c: pg.Client, name: string, stationId: string): Promise<void> {
  const r = await c.query(
    'select 1 from stations where lower(name) = lower($1) and id <> $2 and revoked_at is null',
    [name, stationId],
  );
  if (r.rowCount !== 0) throw new StationError('station_name_taken', { name });
}

/**
 * Creates the station row with the hash of a new secret. adminUrl is IT's connection; stationUrlBase is the
 * address the station will use (PgBouncer) when it differs from IT's. Refuses an address without verified TLS
 * unless insecure is set.
 */
export async function addStation(options: {
  adminUrl: string;
  name: string;
  dispatchArea: string;
  stationUrlBase?: string;
  ca?: string;
  insecure?: boolean;
  parentCapacity?: number;
}): Promise<Enrolment> {
  const base = options.stationUrlBase ?? options.adminUrl;
  requireTls(base, options.insecure ?? false);
  const stationId = uuidv7();
  const secret = newStationSecret();
  const area = options.dispatchArea.trim().toUpperCase();
  const login = await withAdmin(options.adminUrl, async (client) => {
    const l = await pooledLogin(client);
    await nameFree(client, options.name, stationId);
    await client.query(
      `insert into stations (id, name, dispatch_area, proof_hash, secret_set_at, parent_capacity)
       values ($1, $2, $3, $4, now(), $5)`,
      [stationId, options.name, area, proofHash(secret), options.parentCapacity ?? 30],
    );
    return l;
  });
  const enrolment: Enrolment = {
    stationId,
    name: options.name,
    dispatchArea: area,
    url: stationUrl(base, login),
    secret,
  };
  if (options.ca) enrolment.ca = options.ca;
  return enrolment;
}

/** The enrolment as one line, handed to `baglink join --enrolment-file FILE` (or its standard input). */
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
    ...(typeof parsed.secret === 'string' ? { secret: parsed.secret } : {}),
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
