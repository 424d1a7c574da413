import type { Sqlite } from '../store/open.ts';
import { recountAll } from '../store/ledger-recount.ts';
import { hashSecret } from '../auth/passwords.ts';
import { createStationRepo } from '../store/station-repo.ts';
import { uuidv7At } from './uuid-at.ts';

export interface SeedOptions {
  bags: number;
  /** Total scans to write; beyond one per bag they are re-reads, refusals and lookups. */
  scans?: number;
  days?: number;
  now: number;
  log?: (line: string) => void;
}

export interface SeedSummary {
  parents: number;
  children: number;
  bills: number;
  scans: number;
  users: number;
  seconds: number;
}

const PER_PARENT = 30;
/** The demo accounts' secrets (README): the PIN has the six digits a real one needs. */
export const DEMO_PASSWORD = 'demo-password';
export const DEMO_PIN = '123456';
const MAX_PARENTS = 200_000;

/** Both default parent shapes, SB00000..SB99999 and M444-00000..M444-99999: room for 200,000 parents. */
function parentCodeOf(p: number): string {
  const n = String(Math.floor(p / 2)).padStart(5, '0');
  return p % 2 === 0 ? `SB${n}` : `M444-${n}`;
}
const operators = ['ravi', 'sunita', 'amit', 'priya', 'manoj', 'deepa'];
const destinations = [
  'Delhi Hub',
  'Mumbai Central',
  'Kolkata Depot',
  'Chennai Port',
  'Jaipur',
  'Lucknow',
  'Pune',
];
const rejectReasons = ['invalid_code', 'linked_elsewhere', 'parent_full', 'no_active_parent'];

/**
 * Fills a station with a realistic history: parents of 30 children scanned by a shift of operators over the
 * last days, most parents on bills (completed except the newest), re-reads, refusals and lookups. Indexes
 * are dropped during the load and rebuilt after, and the counters are derived once at the end: this is a
 * bulk load for demos and benchmarks, not a path any real scan takes.
 */
export async function seedDemo(sqlite: Sqlite, o: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const log = o.log ?? (() => {});
  const days = o.days ?? 30;
  const identity = createStationRepo(sqlite, () => o.now).load();
  const station = { id: identity.stationId, area: identity.dispatchArea };
  const existing = (sqlite.prepare(`select count(*) as n from bags`).get() as { n: number }).n;
  if (existing > 0) throw new Error('the station already has bags: seed-demo fills an empty station only');

  const userIds = new Map<string, string>();
  const insertUser = sqlite.prepare(
    `insert or ignore into users (id, username, display_name, role, password_hash, badge_code, pin_hash, active, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)`,
  );
  const start = Math.round(o.now) - days * 86_400_000;
  const demoUsers = [...operators.map((u) => [u, 'dock']), ['meena', 'supervisor']] as const;
  for (const [i, [username, role]] of demoUsers.entries()) {
    const id = uuidv7At(start - 1000 + i);
    const name = username[0]!.toUpperCase() + username.slice(1);
    // Each user's own hashes (own salts), as `user add` would make them: one shared hash would let a copy of
    // the database show at a glance that all the demo accounts share one secret.
    insertUser.run(
      id,
      username,
      name,
      role,
      await hashSecret(DEMO_PASSWORD),
      `BADGE-${username.toUpperCase()}`,
      await hashSecret(DEMO_PIN),
      start,
      start,
    );
    userIds.set(
      username,
      (sqlite.prepare(`select id from users where username = ?`).get(username) as { id: string }).id,
    );
  }

  const indexes = sqlite
    .prepare(
      `select name, sql from sqlite_master where type = 'index' and sql is not null and tbl_name in ('bags','links','scans','bill_bags','bills')`,
    )
    .all() as { name: string; sql: string }[];
  for (const ix of indexes) sqlite.exec(`drop index ${ix.name}`);

  const parents = Math.max(1, Math.round(o.bags / (PER_PARENT + 1)));
  if (parents > MAX_PARENTS)
    throw new Error(`seed-demo makes at most ${MAX_PARENTS * (PER_PARENT + 1)} bags`);
  const children = parents * PER_PARENT;
  const totalScans = Math.max(o.scans ?? 0, parents + children);
  const extraPerChild = (totalScans - parents - children) / children;
  const step = (days * 86_400_000 * 0.95) / (parents + children);

  const insBag = sqlite.prepare(
    `insert into bags (id, code, kind, dispatch_area, child_count, first_seen_at, first_seen_by, station_id, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insLink = sqlite.prepare(
    `insert into links (id, child_id, parent_id, linked_at, linked_by, station_id, scan_id) values (?, ?, ?, ?, ?, ?, ?)`,
  );
  const insScan = sqlite.prepare(
    `insert into scans (id, at, raw, code, action, outcome, reason, user_id, station_id, scanner, parent_code, bill_no) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insBill = sqlite.prepare(
    `insert into bills (id, bill_no, destination, vehicle_no, capacity, description, status, parent_count, child_count, dispatch_area, station_id, created_at, created_by, completed_at, completed_by, updated_at)
     values (?, ?, ?, ?, ?, '', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insBillBag = sqlite.prepare(
    `insert into bill_bags (id, bill_id, parent_id, added_at, added_by) values (?, ?, ?, ?, ?)`,
  );

  let t = start;
  let scans = 0;
  let extraDebt = 0;
  let bills = 0;
  let bill: {
    id: string;
    no: string;
    parents: string[];
    capacity: number;
    createdAt: number;
    user: string;
  } | null = null;
  const supervisor = userIds.get('meena')!;
  const flushBill = (final: boolean) => {
    if (!bill) return;
    const done = !final;
    const at = Math.round(t);
    insBill.run(
      bill.id,
      bill.no,
      destinations[bills % destinations.length],
      `DL01AB${String(1000 + (bills % 9000))}`,
      bill.capacity,
      done ? 'completed' : 'open',
      bill.parents.length,
      bill.parents.length * PER_PARENT,
      station.area,
      station.id,
      bill.createdAt,
      bill.user,
      done ? at : null,
      done ? bill.user : null,
      at,
    );
    for (const [i, p] of bill.parents.entries())
      insBillBag.run(uuidv7At(bill.createdAt + i + 1), bill.id, p, bill.createdAt + i + 1, bill.user);
    bill = null;
  };

  const batch = 2000;
  for (let p0 = 0; p0 < parents; p0 += batch) {
    sqlite.transaction(() => {
      for (let p = p0; p < Math.min(parents, p0 + batch); p++) {
        const user = userIds.get(operators[p % operators.length]!)!;
        const parentCode = parentCodeOf(p);
        const parentAt = Math.round(t);
        const parentId = uuidv7At(parentAt);
        insBag.run(
          parentId,
          parentCode,
          'parent',
          station.area,
          PER_PARENT,
          parentAt,
          user,
          station.id,
          parentAt,
        );
        insScan.run(
          uuidv7At(parentAt),
          parentAt,
          parentCode,
          parentCode,
          'parent',
          'parent_active',
          null,
          user,
          station.id,
          'ttyACM0',
          parentCode,
          null,
        );
        scans++;
        for (let c = 0; c < PER_PARENT; c++) {
          t += step;
          const at = Math.round(t);
          const childCode = `C${(p * PER_PARENT + c).toString(36).toUpperCase().padStart(8, '0')}`;
          const childId = uuidv7At(at);
          const scanId = uuidv7At(at);
          insBag.run(childId, childCode, 'child', station.area, 0, at, user, station.id, at);
          insScan.run(
            scanId,
            at,
            childCode,
            childCode,
            'link',
            c === PER_PARENT - 1 ? 'parent_full' : 'linked',
            null,
            user,
            station.id,
            'ttyACM0',
            parentCode,
            null,
          );
          insLink.run(uuidv7At(at), childId, parentId, at, user, station.id, scanId);
          scans++;
          extraDebt += extraPerChild;
          while (extraDebt >= 1) {
            extraDebt -= 1;
            const k = scans % 10;
            const at2 = at + 1 + (scans % 500);
            if (k < 5)
              insScan.run(
                uuidv7At(at2),
                at2,
                childCode,
                childCode,
                'link',
                'already_linked',
                null,
                user,
                station.id,
                'ttyACM0',
                parentCode,
                null,
              );
            else if (k < 7)
              insScan.run(
                uuidv7At(at2),
                at2,
                childCode,
                childCode,
                'ignored',
                'double_read',
                null,
                user,
                station.id,
                'ttyACM0',
                null,
                null,
              );
            else if (k < 9)
              insScan.run(
                uuidv7At(at2),
                at2,
                childCode,
                childCode,
                'lookup',
                'found',
                null,
                supervisor,
                station.id,
                'screen',
                parentCode,
                null,
              );
            else {
              const reason = rejectReasons[scans % rejectReasons.length]!;
              const code = reason === 'invalid_code' ? `X-${childCode}` : childCode;
              insScan.run(
                uuidv7At(at2),
                at2,
                code,
                code,
                'rejected',
                'rejected',
                reason,
                user,
                station.id,
                'ttyACM0',
                null,
                null,
              );
            }
            scans++;
          }
        }
        if (p < parents * 0.9) {
          bill ??= {
            id: uuidv7At(Math.round(t)),
            no: `BL-${String(bills + 1).padStart(6, '0')}`,
            parents: [],
            capacity: 40,
            createdAt: Math.round(t),
            user: supervisor,
          };
          bill.parents.push(parentId);
          if (bill.parents.length === bill.capacity) {
            flushBill(false);
            bills++;
          }
        }
      }
    })();
    if ((p0 / batch) % 10 === 0) log(`seeded ${Math.min(parents, p0 + batch)} of ${parents} parents`);
  }
  sqlite.transaction(() => {
    if (bill) {
      flushBill(true);
      bills++;
    }
  })();

  log('rebuilding indexes');
  for (const ix of indexes) sqlite.exec(ix.sql);
  log('deriving counters');
  recountAll(sqlite, identity.profile.parentCapacity);
  // No ANALYZE: a station never runs one, and with the sqlite_stat4 rows it writes (better-sqlite3 builds SQLite
  // with STAT4) SQLite prepares a statement again whenever a parameter's value changes, about 25 µs a statement
  // here, so a seeded station would be slower than a real one.
  return {
    parents,
    children,
    bills,
    scans,
    users: demoUsers.length,
    seconds: (performance.now() - started) / 1000,
  };
}
