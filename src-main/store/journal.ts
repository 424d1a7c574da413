import type { Sqlite } from './open.ts';
import { uuidv7 } from 'uuidv7';
import type { ScanAction } from '../../src-shared/domain.ts';
import type { Ledger } from './ledger.ts';

export interface ScanRow {
  id: string;
  at: number;
  raw: string;
  code: string;
  action: ScanAction;
  outcome: string;
  reason: string | null;
  userId: string | null;
  scanner: string;
  parentCode: string | null;
  billNo: string | null;
}

export interface AuditEntry {
  at: number;
  userId: string | null;
  action: string;
  entity: string;
  entityId: string;
  before: unknown;
  after: unknown;
}

/**
 * The three records every change leaves, always inside the change's own transaction: the scan (event log)
 * or audit row, the counters the dashboard reads (through the ledger), and the outbox row that carries it to the
 * centre.
 */
export function createJournal(sqlite: Sqlite, stationId: () => string, ledger: Pick<Ledger, 'countScan'>) {
  const insertScan = sqlite.prepare(
    `insert into scans (id, at, raw, code, action, outcome, reason, user_id, station_id, scanner, parent_code, bill_no)
     values (@id, @at, @raw, @code, @action, @outcome, @reason, @userId, @stationId, @scanner, @parentCode, @billNo)`,
  );
  const insertAudit = sqlite.prepare(
    `insert into audit_log (id, at, user_id, action, entity, entity_id, before, after, station_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertOutbox = sqlite.prepare(`insert into outbox (id, op, payload, created_at) values (?, ?, ?, ?)`);

  return {
    /** counter: what the dashboard counts this scan as, when that is not its action (a repeat read). */
    scan(row: ScanRow, counter: string = row.action): void {
      insertScan.run({ ...row, stationId: stationId() });
      ledger.countScan(row, counter);
    },
    audit(entry: AuditEntry): void {
      insertAudit.run(
        uuidv7(),
        entry.at,
        entry.userId,
        entry.action,
        entry.entity,
        entry.entityId,
        entry.before === undefined ? null : JSON.stringify(entry.before),
        entry.after === undefined ? null : JSON.stringify(entry.after),
        stationId(),
      );
    },
    outbox(op: string, payload: unknown, at: number): void {
      insertOutbox.run(uuidv7(), op, JSON.stringify(payload), at);
    },
  };
}

export type Journal = ReturnType<typeof createJournal>;
