import pg from 'pg';
import { formatError } from '../../src-shared/errors.ts';
import { pgClientConfig, type PgTimeouts, type SyncConfig } from './config.ts';

/** 2: every operation carries its id and hash, every call its incarnation (issue 12). */
export const PROTOCOL_VERSION = 2;

/** A failure the worker reports and retries later; message is a sentence for a person, with no secrets in it. */
export class SyncError extends Error {
  constructor(
    readonly kind:
      | 'unreachable'
      | 'protocol'
      | 'gap'
      | 'not_enrolled'
      | 'rejected_batch'
      | 'server'
      | 'wrong_proof'
      | 'revoked'
      | 'diverged'
      | 'fenced'
      | 'malformed',
    message: string,
    readonly sqlState?: string,
  ) {
    super(message);
    this.name = 'SyncError';
  }
}

/** Data errors: the batch itself cannot be applied (retrying it unchanged fails the same way). */
export function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown }).code;
  return typeof code === 'string' && /^(22|23|P0|42804|42883|2F|39)/.test(code);
}

/** How long an idle connection to the centre is kept: longer than the worker's cycle (5 s). */
export const idleConnectionMs = 30_000;

/**
 * The station's connection to the centre: a pg pool of at most 2 connections, opened on the first call of a
 * sync cycle and closed after 30 s idle (or after a failure), every statement under connect, statement, query
 * and idle-in-transaction timeouts.
 * Every call is one statement (a function call), so it runs unchanged through PgBouncer in statement mode.
 */
export function createCentralClient(initial: SyncConfig, timeouts?: PgTimeouts) {
  let config = initial;
  let pool: pg.Pool | null = null;
  const passwordOf = (url: string) => {
    try {
      return decodeURIComponent(new URL(url).password);
    } catch {
      return '';
    }
  };
  /** Every secret this client has held: none of them may reach a message. */
  const secrets = new Set<string>();
  function remember(c: SyncConfig) {
    for (const s of [passwordOf(c.url), c.secret ?? '']) if (s) secrets.add(s);
  }
  remember(config);

  function clean(message: string): string {
    let out = message;
    for (const s of secrets) out = out.split(s).join('***');
    return out;
  }
  let centreTakesOutbox = true;
  /** The station's proof: always a bind parameter, so it is never in the SQL text other sessions can read. */
  const proof = () => config.secret ?? null;

  function getPool(): pg.Pool {
    if (!pool) {
      pool = new pg.Pool({
        ...pgClientConfig(config, timeouts),
        max: 2,
        // Kept across the worker's 5-second cycles: a new connection is a TLS handshake and a SCRAM exchange
        // at PgBouncer (single-threaded), which made a push seen by the station ~10x its time in the server.
        idleTimeoutMillis: idleConnectionMs,
        // An idle connection never keeps a process (`baglink sync --once`) from exiting.
        allowExitOnIdle: true,
      });
      pool.on('error', () => undefined);
    }
    return pool;
  }

  /** A failed call as the SyncError the worker reports (a sentence for a person, the password never in it). */
  function failure(e: unknown): SyncError {
    const err = e as Error & { code?: string };
    if (err.code === '08P01') {
      return new SyncError(
        'protocol',
        `This station speaks sync protocol ${PROTOCOL_VERSION} and the centre does not: update the station software (${clean(err.message)}).`,
        err.code,
      );
    }
    const detail = (err as { detail?: unknown }).detail;
    if (err.code === '42501' && (detail === 'baglink:wrong_proof' || detail === 'baglink:revoked')) {
      // The centre's sentence (station id or name, never the secret): IT must rotate or re-enrol.
      return new SyncError(
        detail === 'baglink:revoked' ? 'revoked' : 'wrong_proof',
        clean(err.message),
        err.code,
      );
    }
    if (err.code === '42501') {
      return new SyncError(
        'not_enrolled',
        `The centre refused this station's login (${clean(err.message)}): enrol it again with "baglink join".`,
        err.code,
      );
    }
    if (err.code === 'BL001') return new SyncError('fenced', formatError('sync_fenced'), err.code);
    if (isDataError(err)) return new SyncError('rejected_batch', clean(err.message), err.code);
    return new SyncError('unreachable', `The centre cannot be reached: ${clean(err.message)}.`, err.code);
  }

  async function call(fn: string, args: unknown[]): Promise<Record<string, unknown>> {
    const placeholders = args.map((_, i) => `$${i + 1}`).join(', ');
    let row: { r: Record<string, unknown> } | undefined;
    try {
      const result = await getPool().query(`select sync.${fn}(${placeholders}) as r`, args);
      row = result.rows[0] as { r: Record<string, unknown> } | undefined;
    } catch (e) {
      throw failure(e);
    }
    const r = row?.r ?? {};
    if (r.error === 'protocol') {
      throw new SyncError(
        'protocol',
        `This station speaks sync protocol ${PROTOCOL_VERSION} and the centre speaks ${String(r.supported)}: update the station software.`,
      );
    }
    return r;
  }

  return {
    stationId: config.stationId,
    /**
     * lastSeq: the highest seq this station ever gave out; lastId: that operation's id, when it still has it;
     * outbox: what waits to go up, which the centre keeps for IT's `central status`. A centre of before that
     * report (no such overload, 42883) is asked without it from then on: same protocol, one field fewer.
     */
    async hello(
      incarnation: number,
      lastSeq: number,
      lastId: string | null,
      outbox: OutboxReport,
    ): Promise<Record<string, unknown>> {
      const args = [config.stationId, proof(), PROTOCOL_VERSION, incarnation, lastSeq, lastId];
      if (centreTakesOutbox) {
        try {
          return await call('hello', [...args, outbox.depth, outbox.oldestUnsentSeconds]);
        } catch (e) {
          if (!(e instanceof SyncError && e.sqlState === '42883')) throw e;
          centreTakesOutbox = false;
        }
      }
      return call('hello', args);
    },
    /** batchJson: {"incarnation": n, "ops": [{seq, id, hash, op, payload}]}. */
    push: (batchJson: string) => call('push', [config.stationId, proof(), PROTOCOL_VERSION, batchJson]),
    reject: (incarnation: number, op: SentOp, reason: string) =>
      call('reject', [
        config.stationId,
        proof(),
        PROTOCOL_VERSION,
        incarnation,
        op.seq,
        op.id,
        op.hash,
        op.op,
        op.payload,
        reason,
      ]),
    pull: (incarnation: number, afterXid: string, afterId: number, limit: number) =>
      call('pull', [config.stationId, proof(), PROTOCOL_VERSION, incarnation, afterXid, afterId, limit]),
    /** claim: {maxSentSeq, unsent: [{id, scanId}]}; IT's recovery, allowed whatever this copy's incarnation. */
    recover: (claimJson: string) => call('recover', [config.stationId, proof(), PROTOCOL_VERSION, claimJson]),
    rebase: (incarnation: number, base: number) =>
      call('rebase', [config.stationId, proof(), PROTOCOL_VERSION, incarnation, base]),
    /** One page of this station's own scans at the centre, after (seq, id), as rows by column name. */
    async ownScans(
      incarnation: number,
      afterSeq: number,
      afterId: string | null,
      limit: number,
    ): Promise<Record<string, unknown>[]> {
      try {
        const result = await getPool().query<Record<string, unknown>>(
          `select * from sync.own_scans($1, $2, $3, $4, $5, $6, $7)`,
          [config.stationId, proof(), PROTOCOL_VERSION, incarnation, afterSeq, afterId, limit],
        );
        return result.rows;
      } catch (e) {
        throw failure(e);
      }
    },
    clean,
    /**
     * The one-time upgrade of an enrolment made before the pooled login: logged in with the station's old role,
     * it receives its own secret and the pooled login (the old role loses LOGIN).
     */
    async claimSecret(): Promise<ClaimedLogin> {
      const r = await call('claim_secret', [config.stationId]);
      return {
        secret: String(r.secret),
        login: String(r.login),
        password: String(r.password),
        stationUrl: typeof r.stationUrl === 'string' ? r.stationUrl : null,
        ca: typeof r.ca === 'string' ? r.ca : null,
      };
    },
    /** Switches to another enrolment (after a claim): the next call opens a pool with it. */
    async adopt(next: SyncConfig): Promise<void> {
      remember(next);
      config = next;
      const p = pool;
      pool = null;
      if (p) await p.end().catch(() => undefined);
    },
    async close(): Promise<void> {
      const p = pool;
      pool = null;
      if (p) await p.end().catch(() => undefined);
    },
    /** The start of a snapshot load: {xid (the horizon to pull from afterwards), counts}. */
    snapshotStart: () => call('snapshot_start', [config.stationId, proof(), PROTOCOL_VERSION]),
    /**
     * One page of the centre's current rows of an entity, key > after, in key order, as rows by column name
     * (int8 as text). At most 50,000 rows a page.
     */
    async snapshotPage(
      entity: 'users' | 'bags' | 'links' | 'bills' | 'bill_bags',
      after: string,
      limit: number,
    ): Promise<Record<string, unknown>[]> {
      try {
        const result = await getPool().query<Record<string, unknown>>({
          text: `select * from sync.snapshot_${entity}($1, $2, $3, $4, $5)`,
          values: [config.stationId, proof(), PROTOCOL_VERSION, after, limit],
        });
        return result.rows;
      } catch (e) {
        throw failure(e);
      }
    },
  };
}

export type CentralClient = ReturnType<typeof createCentralClient>;

/**
 * What an upgrading station takes from the centre: its secret, the pooled login, and where stations connect
 * (PgBouncer) with its CA when IT stored them (`central migrate --station-url`); null: where it connects now.
 */
export interface ClaimedLogin {
  secret: string;
  login: string;
  password: string;
  stationUrl: string | null;
  ca: string | null;
}

/** The station's outbox as hello reports it: operations not yet acknowledged, and how long the oldest waits. */
export interface OutboxReport {
  depth: number;
  oldestUnsentSeconds: number | null;
}

/** An outbox row as it goes to the centre: its seq, the station's id for it and the sha256 of its content. */
export interface SentOp {
  seq: number;
  id: string;
  hash: string;
  op: string;
  payload: string;
}
