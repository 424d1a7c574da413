/**
 * Test support for the tests of every folder: a whole station (app/station.ts) and its dispatcher on a real
 * SQLite file in a fresh temp folder, with a fake clock the test moves by hand. Not used by the app.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStation, type Station } from '../app/station.ts';
import type { Role, ScanResult } from '../../src-shared/domain.ts';
import { createDispatcher, type Dispatcher } from '../api/dispatch.ts';
import type { Result } from '../../src-shared/result.ts';

export const PASSWORD = 'correct horse battery';

/** The station on an existing data folder, as `baglink serve` opens it (for tests of what opening does). */
export function openStation(dataDir: string): Station {
  return createStation({ dataDir });
}

/** A fixed local 10:00 in the morning, so a test's few hours never cross midnight. */
export const START = new Date(2026, 0, 15, 10, 0, 0, 0).getTime();

export interface FakeClock {
  now(): number;
  advance(ms: number): void;
}

export function fakeClock(start = START): FakeClock {
  let t = start;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
    },
  };
}

export interface TestStation {
  dir: string;
  clock: FakeClock;
  station: Station;
  api: Dispatcher;
  /** Closes the station and opens a new one on the same folder and clock. */
  reopen(): void;
  /** Closes the station and deletes the folder: call from afterEach. */
  dispose(): void;
  /** Makes a user straight from the console (no role check); the first one may be an admin. */
  addUser(
    username: string,
    role: Role,
    extra?: { dispatchArea?: string; badge?: string; pin?: string },
  ): Promise<void>;
  /** Logs in through the dispatcher and fails loudly if refused. */
  login(username: string): Promise<void>;
  /** Calls the dispatcher; returns the value, or throws with the error code so a test sees why. */
  call<T = unknown>(method: string, args?: unknown): Promise<T>;
  /** Calls the dispatcher and returns the error code of a refusal (throws if it was not refused). */
  refusal(method: string, args?: unknown): Promise<string>;
  /** One read, as from a scanner: resolves after its transaction has committed. */
  scan(code: string, scanner?: string): Promise<ScanResult>;
  rows(table: string, where?: string): number;
  /** Row counts of the three journal tables. */
  journal(): { scans: number; outbox: number; audit: number };
}

export function createTestStation(): TestStation {
  const dir = mkdtempSync(join(tmpdir(), 'baglink-'));
  const clock = fakeClock();
  const ts: TestStation = {
    dir,
    clock,
    station: createStation({ dataDir: dir, clock, create: true }),
    api: undefined as unknown as Dispatcher,
    reopen() {
      ts.station.close();
      ts.station = createStation({ dataDir: dir, clock });
      ts.api = createDispatcher(ts.station);
    },
    dispose() {
      try {
        ts.station.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    async addUser(username, role, extra = {}) {
      await ts.station.users.createFromConsole({ username, role, password: PASSWORD, ...extra });
    },
    async login(username) {
      await ts.call('auth.login', { username, password: PASSWORD });
    },
    async call<T>(method: string, args?: unknown): Promise<T> {
      const r: Result<unknown> = await ts.api.dispatch(method, args);
      if (!r.ok) throw new Error(`${method} refused: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    },
    async refusal(method, args) {
      const r = await ts.api.dispatch(method, args);
      if (r.ok)
        throw new Error(`${method} was expected to be refused but answered ${JSON.stringify(r.value)}`);
      return r.error.code;
    },
    scan(code, scanner = 'kbd') {
      return ts.station.submitScan({ raw: code, scanner, source: `test:${scanner}` });
    },
    rows(table, where) {
      const sql = `select count(*) as n from ${table}${where ? ` where ${where}` : ''}`;
      return (ts.station.ctx.sqlite.prepare(sql).get() as { n: number }).n;
    },
    journal() {
      return { scans: ts.rows('scans'), outbox: ts.rows('outbox'), audit: ts.rows('audit_log') };
    },
  };
  ts.api = createDispatcher(ts.station);
  return ts;
}

/** Child codes CH000000, CH000001 ...: valid child shapes that are not parents. */
export const child = (i: number): string => `CH${String(i).padStart(6, '0')}`;
