import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientConfig } from 'pg';
import type { Enrolment } from '../central/enrol.ts';

const FILE = 'central.json';
const CA_FILE = 'central-ca.pem';

/**
 * The station's enrolment: in the data folder, readable by its owner only (it holds the pooled login's
 * password and the station's own secret, its proof on every call).
 */
export interface SyncConfig {
  stationId: string;
  name: string;
  dispatchArea: string;
  url: string;
  caFile: string | null;
  /** Absent in an enrolment made before the pooled login: the station claims one with its old role. */
  secret?: string | null;
}

/** The CA the centre's certificate is checked against, beside the enrolment (owner-only). */
export function saveCentreCa(dataDir: string, pem: string): string {
  const caFile = join(dataDir, CA_FILE);
  writeFileSync(caFile, pem, { mode: 0o600 });
  chmodSync(caFile, 0o600);
  return caFile;
}

export function saveEnrolment(dataDir: string, e: Enrolment): SyncConfig {
  const caFile = e.ca ? saveCentreCa(dataDir, e.ca) : null;
  const config: SyncConfig = {
    stationId: e.stationId,
    name: e.name,
    dispatchArea: e.dispatchArea,
    url: e.url,
    caFile,
    secret: e.secret ?? null,
  };
  return saveSyncConfig(dataDir, config);
}

/** Replaces central.json whole (written aside, then renamed), owner-only. */
export function saveSyncConfig(dataDir: string, config: SyncConfig): SyncConfig {
  const path = join(dataDir, FILE);
  const temp = `${path}.tmp`;
  writeFileSync(temp, JSON.stringify(config, null, 2), { mode: 0o600 });
  chmodSync(temp, 0o600);
  renameSync(temp, path);
  return config;
}

export function loadSyncConfig(dataDir: string): SyncConfig | null {
  const path = join(dataDir, FILE);
  if (!existsSync(path)) return null;
  return JSON.parse(readFileSync(path, 'utf8')) as SyncConfig;
}

export function enrolmentPath(dataDir: string): string {
  return join(dataDir, FILE);
}

export interface PgTimeouts {
  connectMs: number;
  statementMs: number;
  queryMs: number;
  idleInTransactionMs: number;
}

export const defaultTimeouts: PgTimeouts = {
  connectMs: 10_000,
  statementMs: 60_000,
  queryMs: 70_000,
  idleInTransactionMs: 30_000,
};

/**
 * pg settings for the station role. The connection string's sslmode is honoured by pg itself; the CA handed
 * over at enrolment is passed as sslrootcert so verify-full checks the server against it.
 */
export function pgClientConfig(config: SyncConfig, t: PgTimeouts = defaultTimeouts): ClientConfig {
  const url = new URL(config.url);
  if (config.caFile && !url.searchParams.has('sslrootcert'))
    url.searchParams.set('sslrootcert', config.caFile);
  return {
    connectionString: url.toString(),
    connectionTimeoutMillis: t.connectMs,
    statement_timeout: t.statementMs,
    query_timeout: t.queryMs,
    idle_in_transaction_session_timeout: t.idleInTransactionMs,
    application_name: `baglink-station`,
  };
}
