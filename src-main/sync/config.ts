import { chmodSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientConfig } from 'pg';
import { z } from 'zod';
import { StationError } from '../../src-shared/errors.ts';
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

/** What makes central.json an enrolment: the station and a centre's address; the rest may be absent. */
const syncConfigSchema = z.object({
  stationId: z.string().min(1),
  name: z.string().default(''),
  dispatchArea: z.string().default(''),
  url: z.string().refine((url) => URL.canParse(url)),
  caFile: z.string().nullable().default(null),
  secret: z.string().nullable().optional(),
});

/** central.json as found: none (not joined), a valid enrolment, or damaged (not JSON, or not an enrolment). */
export type EnrolmentFile = { kind: 'absent' } | { kind: 'joined'; config: SyncConfig } | { kind: 'damaged' };

/** Reads central.json, checked against the enrolment's shape; never throws, never returns the file's text. */
export function readEnrolmentFile(dataDir: string): EnrolmentFile {
  let text: string;
  try {
    text = readFileSync(join(dataDir, FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'absent' };
    return { kind: 'damaged' };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { kind: 'damaged' };
  }
  const parsed = syncConfigSchema.safeParse(json);
  return parsed.success ? { kind: 'joined', config: parsed.data } : { kind: 'damaged' };
}

/** The enrolment, or null when the station has not joined; a damaged file is the catalogue's enrolment_damaged. */
export function loadSyncConfig(dataDir: string): SyncConfig | null {
  const file = readEnrolmentFile(dataDir);
  if (file.kind === 'damaged') throw new StationError('enrolment_damaged');
  return file.kind === 'joined' ? file.config : null;
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
