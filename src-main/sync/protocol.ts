import { z } from 'zod';
import { SyncError } from './central-client.ts';
import type { ScanRow } from '../store/journal.ts';
import { roles } from '../../src-shared/roles.ts';

/**
 * The typed sync protocol, station side. Up: every operation kind the outbox carries, with the fields the
 * centre's SQL reads (extra fields travel along). Down: every row the centre sends (the change log, snapshot
 * pages, push corrections, own scans), read by column name and checked page by page before anything is
 * written: a row that does not match is a typed error (SyncError 'malformed'), never a crash half-way through a
 * page and never a silently wrong row.
 */
/** An integer (int8 arrives as text); rows from the centre are checked, and read as they came. */
const int = z.union([z.number().int(), z.string().regex(/^-?\d+$/)]);
const text = z.string().min(1);
const opt = <T extends z.ZodType>(t: T) => t.nullish();

// ---- up: operations --------------------------------------------------------------------------------------

const scanSchema = z.looseObject({
  id: z.uuid(),
  at: int,
  raw: z.string(),
  code: z.string(),
  action: text,
  outcome: text,
  reason: opt(z.string()),
  username: opt(z.string()),
  scanner: z.string(),
  parentCode: opt(z.string()),
  billNo: opt(z.string()),
});

/** What a scan did, besides being recorded: the discriminated union the centre applies set-based. */
export const scanEffectSchema = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('bag.created'),
    id: z.uuid(),
    code: text,
    kind: z.enum(['parent', 'child']),
    dispatchArea: opt(z.string()),
    at: int,
  }),
  z.looseObject({
    type: z.literal('link.created'),
    id: z.uuid(),
    childCode: text,
    parentCode: text,
    at: int,
  }),
]);

/** kg the centre takes (drizzle/central/0012_parent_weights.sql, weight_problem): the same bounds here. */
const kg = (max: number) => z.number().min(0).max(max);

/** One weighing of a parent, or its "weigh later" (no kg), as the station recorded it. */
const weightSchema = z
  .looseObject({
    id: z.uuid(),
    parentId: opt(z.string()),
    parentCode: text,
    state: z.enum(['recorded', 'later']),
    kg: opt(kg(100_000)),
    tareKg: opt(kg(1_000)),
    childCount: z.number().int().min(0).max(100_000),
    expectedKg: opt(kg(1_000_000)),
    check: z.enum(['none', 'ok', 'off']),
    scale: opt(z.string()),
    raw: opt(z.string()),
    userId: opt(z.string()),
    username: opt(z.string()),
    stationId: opt(z.string()),
    at: z.number().int().nonnegative(),
  })
  .refine((w) => (w.state === 'recorded') === (w.kg !== null && w.kg !== undefined), {
    message: 'a recorded weight has kg, "weigh later" has none',
    path: ['kg'],
  });

export const opPayloadSchemas = {
  scan: z.looseObject({ scan: scanSchema, effects: z.array(scanEffectSchema) }),
  'link.remove': z.looseObject({
    scan: opt(scanSchema),
    linkId: z.uuid(),
    childCode: text,
    parentCode: text,
    at: int,
  }),
  'link.move': z.looseObject({
    scan: opt(scanSchema),
    removedLinkId: z.uuid(),
    linkId: z.uuid(),
    childCode: text,
    fromParent: text,
    toParent: text,
    at: int,
  }),
  'bill.create': z.looseObject({
    id: z.uuid(),
    billNo: text,
    destination: z.string(),
    vehicleNo: z.string(),
    capacity: int,
    description: opt(z.string()),
    dispatchArea: text,
    at: int,
    by: opt(z.string()),
  }),
  'bill.addParent': z.looseObject({
    scan: opt(scanSchema),
    billBagId: z.uuid(),
    billNo: text,
    parentCode: text,
    at: int,
  }),
  'bill.removeParent': z.looseObject({ scan: opt(scanSchema), billNo: text, parentCode: text, at: int }),
  'bill.complete': z.looseObject({ billNo: text, at: int, by: opt(z.string()) }),
  'bill.reopen': z.looseObject({ billNo: text, at: int, by: opt(z.string()) }),
  'user.upsert': z.looseObject({
    id: z.uuid(),
    username: text,
    displayName: z.string(),
    role: z.enum(roles),
    dispatchArea: opt(z.string()),
    passwordHash: text,
    badgeCode: opt(z.string()),
    pinHash: opt(z.string()),
    active: opt(z.union([z.boolean(), z.literal(0), z.literal(1)])),
    createdAt: int,
  }),
  'station.update': z.looseObject({
    name: opt(z.string()),
    dispatchArea: opt(z.string()),
    profile: opt(z.looseObject({ parentCapacity: opt(int) })),
  }),
  'conflict.resolve': z.looseObject({
    conflictId: int,
    resolution: z.enum(['keep_central', 'move_here']),
  }),
  weight: z.looseObject({ weight: weightSchema }),
  'weight.ack': z.looseObject({
    weightId: z.uuid(),
    parentId: opt(z.string()),
    parentCode: text,
    by: text,
    userId: opt(z.string()),
    at: z.number().int().nonnegative(),
  }),
} as const;

export type OpKind = keyof typeof opPayloadSchemas;
export const opKinds = Object.keys(opPayloadSchemas) as OpKind[];

/** One outbox operation, as the centre reads it. */
export const opSchema = z.discriminatedUnion(
  'op',
  opKinds.map((op) => z.object({ op: z.literal(op), payload: opPayloadSchemas[op] })) as unknown as [
    z.ZodObject<{ op: z.ZodLiteral<OpKind>; payload: z.ZodType }>,
  ],
);

export type Op = { [K in OpKind]: { op: K; payload: z.output<(typeof opPayloadSchemas)[K]> } }[OpKind];

/** Why an outbox operation cannot go to the centre as it is (null when it can). */
export function opProblem(op: string, payload: string): string | null {
  let value: unknown;
  try {
    value = JSON.parse(payload);
  } catch {
    return 'its payload is not JSON';
  }
  const r = opSchema.safeParse({ op, payload: value });
  if (r.success) return null;
  const issue = r.error.issues[0];
  if (!issue) return 'invalid';
  if (issue.code === 'invalid_union' && issue.path.length === 1 && issue.path[0] === 'op') {
    return `there is no operation "${op}"`;
  }
  const path = issue.path[0] === 'payload' ? issue.path.slice(1) : issue.path;
  return `${path.join('.') || 'payload'}: ${issue.message}`;
}

// ---- down: rows from the centre --------------------------------------------------------------------------

export const entities = ['users', 'bags', 'links', 'bills', 'bill_bags'] as const;
export type Entity = (typeof entities)[number];

/** A row of each central table as the change log, snapshot pages and push corrections carry it. */
export const centralRowSchemas = {
  users: z.looseObject({
    id: opt(z.string()),
    username: text,
    display_name: opt(z.string()),
    role: opt(z.enum(roles)),
    dispatch_area: opt(z.string()),
    password_hash: opt(z.string()),
    badge_code: opt(z.string()),
    pin_hash: opt(z.string()),
    active: opt(z.boolean()),
    station_id: opt(z.string()),
    created_at: opt(int),
  }),
  bags: z.looseObject({
    id: text,
    code: text,
    kind: z.enum(['parent', 'child']),
    dispatch_area: opt(z.string()),
    first_seen_at: opt(int),
    station_id: opt(z.string()),
  }),
  links: z.looseObject({
    id: text,
    child_code: text,
    parent_code: text,
    linked_at: opt(int),
    linked_by: opt(z.string()),
    station_id: opt(z.string()),
    removed_at: opt(int),
    removed_by: opt(z.string()),
    child_id: opt(z.string()),
    parent_id: opt(z.string()),
  }),
  bills: z.looseObject({
    id: text,
    bill_no: text,
    destination: opt(z.string()),
    vehicle_no: opt(z.string()),
    capacity: opt(int),
    description: opt(z.string()),
    status: opt(text),
    dispatch_area: opt(z.string()),
    station_id: opt(z.string()),
    created_at: opt(int),
    created_by: opt(z.string()),
    completed_at: opt(int),
    completed_by: opt(z.string()),
  }),
  bill_bags: z.looseObject({
    id: text,
    bill_no: text,
    parent_code: text,
    added_at: opt(int),
    added_by: opt(z.string()),
    station_id: opt(z.string()),
    removed_at: opt(int),
    removed_by: opt(z.string()),
  }),
} as const;

export type CentralRowOf<E extends Entity> = z.output<(typeof centralRowSchemas)[E]>;

/** One entry of the change log (sync.pull) or of a push reply's corrections. */
const changeSchema = z.looseObject({
  id: opt(int),
  xid: opt(z.string()),
  entity: z.enum(entities),
  row: z.record(z.string(), z.unknown()),
  restore: opt(z.boolean()),
});

function fail(what: string, error: z.ZodError): never {
  const issue = error.issues[0];
  const where = issue?.path.length ? ` at ${issue.path.join('.')}` : '';
  throw new SyncError(
    'malformed',
    `The centre sent ${what} this station cannot read${where} (${issue?.message ?? 'invalid'}): nothing of it was applied; update the station software or ask IT to check the centre.`,
  );
}

export interface ParsedChange {
  entity: Entity;
  row: Record<string, unknown>;
  restore?: boolean;
  id?: number;
  xid?: string;
}

/** A page of change-log entries (or corrections), each row checked against its table's schema. */
export function parseChanges(list: unknown): ParsedChange[] {
  const page = z.array(changeSchema).safeParse(list ?? []);
  if (!page.success) fail('a change', page.error);
  return page.data.map((c, i) => {
    const row = centralRowSchemas[c.entity].safeParse(c.row);
    if (!row.success) fail(`a row of ${c.entity} (entry ${i})`, row.error);
    const out: ParsedChange = { entity: c.entity, row: c.row };
    if (c.restore) out.restore = true;
    if (c.id != null) out.id = Number(c.id);
    if (c.xid != null) out.xid = c.xid;
    return out;
  });
}

/** A snapshot page of one table, read by column name. */
export function parseSnapshotPage<E extends Entity>(entity: E, rows: unknown[]): CentralRowOf<E>[] {
  const page = z.array(centralRowSchemas[entity]).safeParse(rows);
  if (!page.success) fail(`a row of ${entity}`, page.error);
  return page.data as CentralRowOf<E>[];
}

/** A row of sync.own_scans: one of this station's scans as the centre holds it. */
const ownScanSchema = z.object({
  id: z.uuid(),
  seq: int,
  at: int,
  raw: z.string(),
  code: z.string(),
  action: z.enum([
    'parent',
    'link',
    'unlink',
    'move',
    'bill_add',
    'bill_remove',
    'lookup',
    'rejected',
    'ignored',
  ]),
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

export function parseOwnScan(row: unknown): OwnScan {
  const r = ownScanSchema.safeParse(row);
  if (!r.success) fail('a scan', r.error);
  const s = r.data;
  return {
    id: s.id,
    seq: Number(s.seq),
    at: Number(s.at),
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

/** What the last page of a pull says about the centre's pull horizon (migration 0006): held back, and how long. */
const horizonWaitSchema = z
  .object({ seconds: z.number().int().nonnegative(), xids: z.number().int().nonnegative() })
  .nullable();
export type HorizonWait = z.output<typeof horizonWaitSchema>;

/** The reply's `waiting`, or null when the centre does not hold this station's changes back (or is older). */
export function parseHorizonWait(value: unknown): HorizonWait {
  const r = horizonWaitSchema.safeParse(value ?? null);
  return r.success ? r.data : null;
}
