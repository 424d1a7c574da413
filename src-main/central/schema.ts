/**
 * The central PostgreSQL schema shared by every station. Bags are keyed by code, bills by bill number and users
 * by username across stations; ids are the UUIDv7 of the station that first wrote the row. Rows that stations
 * pull are logged in `changes` by triggers (drizzle/central/0001_sync_functions.sql) with the writing
 * transaction's xid8, so a pull can stop below the oldest running transaction and never skip a late commit.
 */
import { sql } from 'drizzle-orm';
import {
  bigint,
  bigserial,
  boolean,
  customType,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';

const xid8 = customType<{ data: string }>({ dataType: () => 'xid8' });
const epochMs = (name: string) => bigint(name, { mode: 'number' });

export const stations = pgTable('stations', {
  id: uuid('id').primaryKey(),
  name: text('name').notNull(),
  dispatchArea: text('dispatch_area').notNull(),
  /** The login role of this station: every sync function checks session_user against it. */
  roleName: text('role_name').notNull().unique(),
  lastAppliedSeq: bigint('last_applied_seq', { mode: 'number' }).notNull().default(0),
  /** Set by IT to make the station rebuild its reference data on its next pull. */
  resyncRequired: boolean('resync_required').notNull().default(false),
  lastPushAt: timestamp('last_push_at', { withTimezone: true }),
  /** The station profile's parent capacity: the centre holds this station's links to it. */
  parentCapacity: integer('parent_capacity').notNull().default(30),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable('users', {
  id: uuid('id').primaryKey(),
  username: text('username').notNull().unique(),
  displayName: text('display_name').notNull(),
  role: text('role').notNull(),
  dispatchArea: text('dispatch_area'),
  passwordHash: text('password_hash').notNull(),
  badgeCode: text('badge_code'),
  pinHash: text('pin_hash'),
  active: boolean('active').notNull().default(true),
  stationId: uuid('station_id').notNull(),
  createdAt: epochMs('created_at').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const bags = pgTable('bags', {
  id: uuid('id').primaryKey(),
  code: text('code').notNull().unique(),
  kind: text('kind').notNull(),
  dispatchArea: text('dispatch_area').notNull(),
  firstSeenAt: epochMs('first_seen_at').notNull(),
  stationId: uuid('station_id').notNull(),
});

/** One active link per child: the partial unique index is where "first commit wins" is decided. */
export const links = pgTable(
  'links',
  {
    id: uuid('id').primaryKey(),
    childCode: text('child_code').notNull(),
    parentCode: text('parent_code').notNull(),
    linkedAt: epochMs('linked_at').notNull(),
    linkedBy: text('linked_by'),
    stationId: uuid('station_id').notNull(),
    removedAt: epochMs('removed_at'),
    removedBy: text('removed_by'),
  },
  (t) => [
    uniqueIndex('links_active_child_uq')
      .on(t.childCode)
      .where(sql`${t.removedAt} is null`),
    index('links_parent_idx').on(t.parentCode),
  ],
);

export const bills = pgTable('bills', {
  id: uuid('id').primaryKey(),
  billNo: text('bill_no').notNull().unique(),
  destination: text('destination').notNull(),
  vehicleNo: text('vehicle_no').notNull(),
  capacity: integer('capacity').notNull(),
  description: text('description').notNull().default(''),
  status: text('status').notNull(),
  dispatchArea: text('dispatch_area').notNull(),
  stationId: uuid('station_id').notNull(),
  createdAt: epochMs('created_at').notNull(),
  createdBy: text('created_by'),
  completedAt: epochMs('completed_at'),
  completedBy: text('completed_by'),
});

/** One active bill per parent, decided by the partial unique index. */
export const billBags = pgTable(
  'bill_bags',
  {
    id: uuid('id').primaryKey(),
    billNo: text('bill_no').notNull(),
    parentCode: text('parent_code').notNull(),
    addedAt: epochMs('added_at').notNull(),
    addedBy: text('added_by'),
    stationId: uuid('station_id').notNull(),
    removedAt: epochMs('removed_at'),
    removedBy: text('removed_by'),
  },
  (t) => [
    uniqueIndex('bill_bags_active_parent_uq')
      .on(t.parentCode)
      .where(sql`${t.removedAt} is null`),
    index('bill_bags_bill_idx').on(t.billNo),
  ],
);

/** Every read of every station, exactly once (id is the station's scan id). */
export const scans = pgTable(
  'scans',
  {
    id: uuid('id').primaryKey(),
    stationId: uuid('station_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    at: epochMs('at').notNull(),
    raw: text('raw').notNull(),
    code: text('code').notNull(),
    action: text('action').notNull(),
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    username: text('username'),
    scanner: text('scanner').notNull(),
    parentCode: text('parent_code'),
    billNo: text('bill_no'),
  },
  (t) => [index('scans_code_idx').on(t.code, t.at), index('scans_station_idx').on(t.stationId, t.seq)],
);

/** Every operation a station pushed other than a plain scan, as it arrived. */
export const audit = pgTable('audit', {
  id: bigserial('id', { mode: 'number' }).primaryKey(),
  stationId: uuid('station_id').notNull(),
  seq: bigint('seq', { mode: 'number' }).notNull(),
  op: text('op').notNull(),
  payload: jsonb('payload').notNull(),
  at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
});

/** Operations the centre refused (first commit won elsewhere, or a rule), with both sides. */
export const conflicts = pgTable(
  'conflicts',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    stationId: uuid('station_id').notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
    op: text('op').notNull(),
    kind: text('kind').notNull(),
    subject: text('subject').notNull(),
    local: jsonb('local').notNull(),
    central: jsonb('central'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    resolvedAt: timestamp('resolved_at', { withTimezone: true }),
    resolution: text('resolution'),
  },
  (t) => [uniqueIndex('conflicts_station_seq_uq').on(t.stationId, t.seq, t.subject)],
);

/**
 * The change log stations pull, ordered by (xid, id): since 0007 one row per statement (and 1,000 rows) written,
 * holding the written rows' ids (`keys`), which a pull joins to the current rows; rows logged before 0007 hold
 * the written row itself (`row`).
 */
export const changes = pgTable(
  'changes',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    xid: xid8('xid')
      .notNull()
      .default(sql`pg_current_xact_id()`),
    entity: text('entity').notNull(),
    /** The station whose push wrote the row (null for the centre's own writes): its pull skips it. */
    stationId: uuid('station_id'),
    row: jsonb('row'),
    keys: uuid('keys').array(),
  },
  (t) => [index('changes_xid_id_idx').on(t.xid, t.id)],
);

/**
 * Each weighing of a parent (or its "weigh later") a station sent (op 'weight', central 0012), keyed by the
 * station's id for it, with a supervisor's acknowledgement (op 'weight.ack'). The newest by `at` is the parent's
 * weight; whether it still holds is read through the view parent_weight_now, and each bill's through bill_weights.
 */
export const parentWeights = pgTable(
  'parent_weights',
  {
    id: uuid('id').primaryKey(),
    parentCode: text('parent_code').notNull(),
    state: text('state').notNull(),
    kg: doublePrecision('kg'),
    tareKg: doublePrecision('tare_kg'),
    childCount: integer('child_count').notNull(),
    expectedKg: doublePrecision('expected_kg'),
    checkResult: text('check_result').notNull().default('none'),
    scale: text('scale'),
    raw: text('raw'),
    username: text('username'),
    stationId: uuid('station_id').notNull(),
    at: epochMs('at').notNull(),
    ackBy: text('ack_by'),
    ackAt: epochMs('ack_at'),
    ackStationId: uuid('ack_station_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('parent_weights_parent_idx').on(t.parentCode, t.at)],
);
