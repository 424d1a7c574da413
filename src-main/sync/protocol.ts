import { z } from 'zod';
import { SyncError } from './central-client.ts';
import type { ScanRow } from '../store/journal.ts';

/**
 * The typed sync protocol, station side: what comes down from the centre is checked here, by column name,
 * before anything is written. A row that does not match is a typed error (SyncError 'malformed'), never a crash
 * half-way through a page and never a silently wrong row.
 */
const int = z.union([z.number(), z.string().regex(/^-?\d+$/)]).transform(Number);
const nullable = <T extends z.ZodType>(t: T) => t.nullable().optional();

const scanActions = [
  'parent',
  'link',
  'unlink',
  'move',
  'bill_add',
  'bill_remove',
  'lookup',
  'rejected',
  'ignored',
] as const;

/** A row of sync.own_scans: one of this station's scans as the centre holds it. */
const ownScanSchema = z.object({
  id: z.uuid(),
  seq: int,
  at: int,
  raw: z.string(),
  code: z.string(),
  action: z.enum(scanActions),
  outcome: z.string(),
  reason: z.string().nullable(),
  username: z.string().nullable(),
  scanner: z.string(),
  parent_code: z.string().nullable(),
  bill_no: z.string().nullable(),
});

export interface OwnScan extends Omit<ScanRow, 'userId'> {
  seq: number;
  username: string | null;
}

function fail(what: string, error: z.ZodError): never {
  const issue = error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new SyncError(
    'malformed',
    `The centre sent ${what} this station cannot read${where} (${issue?.message ?? 'invalid'}): nothing of it was applied; update the station software or ask IT to check the centre.`,
  );
}

export function parseOwnScan(row: unknown): OwnScan {
  const r = ownScanSchema.safeParse(row);
  if (!r.success) fail('a scan', r.error);
  const s = r.data;
  return {
    id: s.id,
    seq: s.seq,
    at: s.at,
    raw: s.raw,
    code: s.code,
    action: s.action,
    outcome: s.outcome,
    reason: s.reason,
    username: s.username,
    scanner: s.scanner,
    parentCode: s.parent_code,
    billNo: s.bill_no,
  };
}

export { fail as malformed, int, nullable };
