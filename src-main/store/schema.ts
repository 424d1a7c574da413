/**
 * The local store: one SQLite file per station. Bags, links and bills are the state; scans are the
 * append-only event log that produced it; the outbox carries every change to the centre in order.
 * Ids are client-generated UUIDv7 text; times are epoch milliseconds.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { roles } from '../../src-shared/roles.ts';

/** This station: exactly one row (id = 1). The profile is JSON validated by src-shared/profile.ts. */
export const station = sqliteTable('station', {
  singleton: integer('singleton').primaryKey(),
  stationId: text('station_id').notNull(),
  name: text('name').notNull(),
  dispatchArea: text('dispatch_area').notNull(),
  profile: text('profile').notNull(),
  activeParentId: text('active_parent_id'),
  /** Who made the parent active: another operator logging in starts with none. */
  activeParentBy: text('active_parent_by'),
  /** Serial scanners configured on this station (JSON list of port settings). */
  scanners: text('scanners').notNull().default('[]'),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    username: text('username').notNull(),
    displayName: text('display_name').notNull(),
    role: text('role', { enum: roles }).notNull(),
    dispatchArea: text('dispatch_area'),
    passwordHash: text('password_hash').notNull(),
    badgeCode: text('badge_code'),
    pinHash: text('pin_hash'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    failedAttempts: integer('failed_attempts').notNull().default(0),
    lockedUntil: integer('locked_until'),
    lastLoginAt: integer('last_login_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('users_username_uq').on(t.username),
    uniqueIndex('users_badge_uq')
      .on(t.badgeCode)
      .where(sql`${t.badgeCode} is not null`),
  ],
);

/** Every bag ever seen. A code is a parent or a child, never both. childCount is maintained for parents. */
export const bags = sqliteTable(
  'bags',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull(),
    kind: text('kind', { enum: ['parent', 'child'] }).notNull(),
    dispatchArea: text('dispatch_area').notNull(),
    childCount: integer('child_count').notNull().default(0),
    firstSeenAt: integer('first_seen_at').notNull(),
    firstSeenBy: text('first_seen_by'),
    stationId: text('station_id').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('bags_code_uq').on(t.code)],
);

/** Child -> parent links. A removed link keeps its row (removedAt) as a tombstone; one active link per child. */
export const links = sqliteTable(
  'links',
  {
    id: text('id').primaryKey(),
    childId: text('child_id')
      .notNull()
      .references(() => bags.id),
    parentId: text('parent_id')
      .notNull()
      .references(() => bags.id),
    linkedAt: integer('linked_at').notNull(),
    linkedBy: text('linked_by').notNull(),
    stationId: text('station_id').notNull(),
    scanId: text('scan_id'),
    removedAt: integer('removed_at'),
    removedBy: text('removed_by'),
  },
  (t) => [
    uniqueIndex('links_active_child_uq')
      .on(t.childId)
      .where(sql`${t.removedAt} is null`),
    index('links_parent_idx').on(t.parentId, t.linkedAt),
    index('links_user_idx').on(t.linkedBy, t.linkedAt),
  ],
);

export const bills = sqliteTable(
  'bills',
  {
    id: text('id').primaryKey(),
    billNo: text('bill_no').notNull(),
    destination: text('destination').notNull(),
    vehicleNo: text('vehicle_no').notNull(),
    capacity: integer('capacity').notNull(),
    description: text('description').notNull().default(''),
    status: text('status', { enum: ['open', 'completed'] }).notNull(),
    parentCount: integer('parent_count').notNull().default(0),
    childCount: integer('child_count').notNull().default(0),
    dispatchArea: text('dispatch_area').notNull(),
    stationId: text('station_id').notNull(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    completedAt: integer('completed_at'),
    completedBy: text('completed_by'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('bills_bill_no_uq').on(t.billNo),
    index('bills_status_idx').on(t.status, t.createdAt),
    // The end-of-day report finds the bills completed on a day.
    index('bills_completed_idx').on(t.completedAt),
  ],
);

/** Parent bags on bills; removal keeps a tombstone; one active bill per parent. */
export const billBags = sqliteTable(
  'bill_bags',
  {
    id: text('id').primaryKey(),
    billId: text('bill_id')
      .notNull()
      .references(() => bills.id),
    parentId: text('parent_id')
      .notNull()
      .references(() => bags.id),
    addedAt: integer('added_at').notNull(),
    addedBy: text('added_by').notNull(),
    removedAt: integer('removed_at'),
    removedBy: text('removed_by'),
  },
  (t) => [
    uniqueIndex('bill_bags_active_parent_uq')
      .on(t.parentId)
      .where(sql`${t.removedAt} is null`),
    index('bill_bags_bill_idx').on(t.billId, t.addedAt),
  ],
);

/** The append-only event log of every read, rejected ones included. Never updated, never deleted. */
export const scans = sqliteTable(
  'scans',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    raw: text('raw').notNull(),
    code: text('code').notNull(),
    action: text('action', {
      enum: ['parent', 'link', 'unlink', 'move', 'bill_add', 'bill_remove', 'lookup', 'rejected', 'ignored'],
    }).notNull(),
    outcome: text('outcome').notNull(),
    reason: text('reason'),
    userId: text('user_id'),
    stationId: text('station_id').notNull(),
    scanner: text('scanner').notNull(),
    parentCode: text('parent_code'),
    billNo: text('bill_no'),
  },
  // scans_at_idx: the end-of-day report reads one day of the log, not all of it.
  (t) => [index('scans_code_idx').on(t.code, t.at), index('scans_at_idx').on(t.at)],
);

export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    userId: text('user_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    before: text('before'),
    after: text('after'),
    stationId: text('station_id').notNull(),
  },
  (t) => [
    index('audit_entity_idx').on(t.entity, t.entityId, t.at),
    index('audit_at_idx').on(t.at),
    // The audit trail filtered by user.
    index('audit_user_idx').on(t.userId, t.at),
  ],
);

/**
 * Changes waiting for the centre, in this station's own sequence. seq has no gaps: AUTOINCREMENT's counter
 * rolls back with a failed transaction, so the centre can refuse a gap.
 */
export const outbox = sqliteTable(
  'outbox',
  {
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull(),
    op: text('op').notNull(),
    payload: text('payload').notNull(),
    createdAt: integer('created_at').notNull(),
    sentAt: integer('sent_at'),
    result: text('result'),
  },
  (t) => [
    index('outbox_unsent_idx')
      .on(t.seq)
      .where(sql`${t.sentAt} is null`),
  ],
);

/** Scan counters per day, hour, user and action, kept in the scan's own transaction (never COUNT(*)). */
export const scanCounters = sqliteTable(
  'scan_counters',
  {
    day: text('day').notNull(),
    hour: integer('hour').notNull(),
    userId: text('user_id').notNull(),
    action: text('action').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.hour, t.userId, t.action] })],
);

/** Scan counters per day and action: what the 14-day chart reads (14 x a few rows). */
export const dayCounters = sqliteTable(
  'day_counters',
  {
    day: text('day').notNull(),
    action: text('action').notNull(),
    n: integer('n').notNull(),
  },
  (t) => [primaryKey({ columns: [t.day, t.action] })],
);

/** Station-wide running totals (bags, parents, children, full parents, open bills ...). */
export const totals = sqliteTable('totals', {
  name: text('name').primaryKey(),
  n: integer('n').notNull(),
});

/**
 * The sync worker's bookkeeping: exactly one row (singleton = 1). The pull cursor is written in the same
 * transaction as the page it ends.
 */
export const syncState = sqliteTable(
  'sync_state',
  {
    singleton: integer('singleton').primaryKey(),
    cursorXid: text('cursor_xid').notNull().default('0'),
    cursorId: integer('cursor_id').notNull().default(0),
    lastPushAt: integer('last_push_at'),
    lastPullAt: integer('last_pull_at'),
    lastSuccessAt: integer('last_success_at'),
    lastError: text('last_error'),
    lastErrorAt: integer('last_error_at'),
    /** This copy's incarnation at the centre: a recovery (restored backup, re-join) gives the station a new one. */
    incarnation: integer('incarnation').notNull().default(1),
    /** Set when the centre found that this station's history differs from its own (JSON: seq, reason, at). */
    diverged: text('diverged'),
    /** A recovery step still to run: 'restored' (baglink restore), 'scans' (bring back own scans), 'joined'. */
    recovery: text('recovery'),
  },
  (t) => [check('sync_state_singleton_check', sql`${t.singleton} = 1`)],
);

/** The conflicts the centre reported, one row per central conflict, kept for a supervisor to resolve. */
export const syncConflicts = sqliteTable('sync_conflicts', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  centralId: integer('central_id').notNull().unique(),
  seq: integer('seq').notNull(),
  op: text('op').notNull(),
  kind: text('kind').notNull(),
  /** JSON: this station's side. */
  local: text('local').notNull(),
  /** JSON: the centre's side, when it sent one. */
  central: text('central'),
  createdAt: integer('created_at').notNull(),
  resolvedAt: integer('resolved_at'),
  resolvedBy: text('resolved_by'),
  resolution: text('resolution'),
});

/** A snapshot load in progress (a new station, or a resync): where it stands, so a load cut short goes on. */
export const syncSnapshot = sqliteTable(
  'sync_snapshot',
  {
    singleton: integer('singleton').primaryKey(),
    horizon: text('horizon').notNull(),
    mode: text('mode').notNull(),
    entity: text('entity').notNull(),
    after: text('after').notNull(),
  },
  (t) => [check('sync_snapshot_singleton_check', sql`${t.singleton} = 1`)],
);

/** Indexes a bulk load dropped while it writes links, with their definitions, to build again when it ends. */
export const syncSnapshotIndexes = sqliteTable('sync_snapshot_indexes', {
  name: text('name').primaryKey(),
  sql: text('sql').notNull(),
});
