import { z } from 'zod';
import { MAX_BILL_CAPACITY, MAX_REASON_LENGTH } from './limits.ts';
import { roles } from './roles.ts';
import { profileChangeSchema } from './profile.ts';
import { scannerConfigSchema } from './scanners.ts';
import { findUnsafeChar, normalizeText, type TextRules } from './text.ts';
import { billFormats, reportFormats } from './export-formats.ts';
import { printerConfigSchema } from './hardware.ts';
import type {
  HardwareSettings,
  HardwareState,
  LabelPreview,
  ParentWeight,
  PrintJobView,
  WeighingState,
} from './hardware.ts';

import type { AuditRow } from './audit-text.ts';
import type {
  BagStory,
  BillDetail,
  BillSummary,
  BillWarning,
  LinkChange,
  ScannedParent,
  ScanRecord,
  ScanResult,
  ActiveParent,
} from './domain.ts';
import type { ExportFile } from './export-formats.ts';
import type { ScannerRead, ScannerState } from './scanners.ts';
import type { StationSettings } from './settings.ts';
import type { Dashboard, PreLoginView, StationStatus } from './status.ts';
import type { ConflictRow, ConflictView, SyncState } from './sync-status.ts';
import type { SessionInfo, UserView } from './users.ts';

/**
 * The StationApi contract: every method's name and argument schema, and every event's name. Each transport
 * (Electron IPC, HTTP + WebSocket) validates arguments against these schemas before a handler runs.
 */
const none = z.object({}).strict();
const code = z.string().min(1).max(4096);
const role = z.enum(roles);
/**
 * Text a person typed (bill fields, user and station names): control, bidi-control and invisible characters are
 * refused as unsafe_text (text.ts), and what is kept is stored as NFC. Passwords and PINs are not text: they
 * are compared as typed. Scanned codes are not either: a bad read is recorded as a rejected scan (normalize.ts).
 */
const plain = (schema: z.ZodString, rules: TextRules = {}) =>
  schema
    .superRefine((value, ctx) => {
      const bad = findUnsafeChar(value, rules);
      if (!bad) return;
      ctx.addIssue({
        code: 'custom',
        message: `it has the control or invisible character ${bad.char} at character ${bad.position}`,
        params: { errorCode: 'unsafe_text', ...bad },
      });
    })
    .transform(normalizeText);
const text = (max: number) => plain(z.string().trim().min(1).max(max));
const optionalText = (max: number) => plain(z.string().max(max));
const billNo = plain(z.string().min(1).max(100));

export const methodSchemas = {
  'auth.login': z.union([
    z.object({ username: text(64), password: z.string().min(1).max(256) }).strict(),
    z
      .object({
        badge: text(100),
        pin: z.string().min(1).max(32),
        newPin: z.string().min(1).max(32).optional(),
      })
      .strict(),
  ]),
  'auth.logout': none,
  'auth.whoami': none,
  'setup.state': none,
  'setup.firstAdmin': z
    .object({
      username: z
        .string()
        .regex(/^[A-Za-z0-9._-]{2,32}$/, 'use 2 to 32 letters, digits, dots, dashes or underscores'),
      displayName: z.string().max(80).optional(),
      password: z.string().max(256),
    })
    .strict(),
  'scan.submit': z.object({ code, scanner: z.string().min(1).max(64).optional() }).strict(),
  'scan.undoLast': none,
  'scan.closeParent': none,
  'scan.state': z
    .object({
      limit: z.number().int().min(1).max(200).optional(),
      /** Only the logged-in operator's reads. */
      mine: z.boolean().optional(),
    })
    .strict(),
  // The reason is required; a blank one is refused by the core with reason_required (a sentence, not a schema error).
  'links.remove': z.object({ child: code, reason: z.string().max(MAX_REASON_LENGTH) }).strict(),
  'links.move': z.object({ child: code, toParent: code, reason: z.string().max(MAX_REASON_LENGTH) }).strict(),
  'bags.lookup': z.object({ code }).strict(),
  'bills.create': z
    .object({
      billNo,
      destination: text(120),
      vehicleNo: text(32),
      capacity: z.number().int().min(1).max(MAX_BILL_CAPACITY),
      description: plain(z.string().max(500), { multiline: true }).optional(),
    })
    .strict(),
  'bills.addParent': z.object({ billNo, parent: code }).strict(),
  'bills.scanParent': z.object({ billNo, parent: code }).strict(),
  'bills.takeReads': z.object({ billNo: billNo.nullable() }).strict(),
  'bills.removeParent': z.object({ billNo, parent: code }).strict(),
  'bills.complete': z.object({ billNo }).strict(),
  'bills.reopen': z.object({ billNo }).strict(),
  'bills.get': z.object({ billNo }).strict(),
  'bills.list': z
    .object({
      status: z.enum(['open', 'completed']).optional(),
      search: z.string().max(100).optional(),
      day: z.string().max(10).optional(),
      limit: z.number().int().min(1).max(500).optional(),
      offset: z.number().int().min(0).optional(),
    })
    .strict(),
  'stats.dashboard': none,
  'users.list': none,
  'users.create': z
    .object({
      username: z
        .string()
        .regex(/^[A-Za-z0-9._-]{2,32}$/, 'use 2 to 32 letters, digits, dots, dashes or underscores'),
      displayName: optionalText(80).optional(),
      role,
      password: z.string().max(256),
      dispatchArea: optionalText(32).nullable().optional(),
      badge: optionalText(100).nullable().optional(),
      pin: z.string().max(32).nullable().optional(),
    })
    .strict(),
  'users.update': z
    .object({
      username: text(32),
      displayName: optionalText(80).optional(),
      role: role.optional(),
      password: z.string().max(256).optional(),
      dispatchArea: optionalText(32).nullable().optional(),
      badge: optionalText(100).nullable().optional(),
      pin: z.string().max(32).nullable().optional(),
      active: z.boolean().optional(),
      unlock: z.boolean().optional(),
    })
    .strict(),
  'settings.get': none,
  'settings.update': z
    .object({
      name: optionalText(80).optional(),
      dispatchArea: optionalText(32).optional(),
      profile: profileChangeSchema.optional(),
    })
    .strict(),
  'status.get': none,
  'sync.status': none,
  'sync.now': none,
  'conflicts.list': z.object({ all: z.boolean().optional() }).strict(),
  'conflicts.resolve': z
    .object({ id: z.number().int().min(1), resolution: z.enum(['keep_central', 'move_here']) })
    .strict(),
  'bills.export': z.object({ billNo, format: z.enum(billFormats) }).strict(),
  'reports.endOfDay': z
    .object({
      date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'write the day as YYYY-MM-DD'),
      format: z.enum(reportFormats),
    })
    .strict(),
  'audit.list': z
    .object({
      user: z.string().min(1).max(64).optional(),
      billNo: billNo.optional(),
      code: code.optional(),
      from: z.union([z.number().int().min(0), z.string().min(1).max(40)]).optional(),
      to: z.union([z.number().int().min(0), z.string().min(1).max(40)]).optional(),
      limit: z.number().int().min(1).max(500).optional(),
      offset: z.number().int().min(0).optional(),
    })
    .strict(),
  'scanners.list': none,
  'scanners.configure': z.object({ scanners: z.array(scannerConfigSchema).max(16) }).strict(),
  'scanners.testRead': z
    .object({
      scannerId: z.string().min(1).max(256),
      timeoutMs: z.number().int().min(100).max(60_000).optional(),
    })
    .strict(),
  'status.preLogin': none,
  'hardware.get': none,
  'hardware.configure': z
    .object({
      /** A scale's settings (src-main/scale/config.ts, checked by the main process); null takes it off. */
      scale: z.record(z.string(), z.unknown()).nullable().optional(),
      printer: printerConfigSchema.nullable().optional(),
    })
    .strict(),
  'hardware.state': none,
  'weights.current': none,
  'weights.weighAgain': none,
  'weights.weighLater': none,
  /**
   * A supervisor acknowledges a parent whose weight is off. A logged-in supervisor needs nothing more; a dock
   * worker's session passes a supervisor's badge and PIN (or username and password), checked with the lockout.
   */
  'weights.acknowledge': z
    .object({
      parent: code,
      username: z.string().min(1).max(64).optional(),
      password: z.string().min(1).max(256).optional(),
      badge: z.string().min(1).max(100).optional(),
      pin: z.string().min(1).max(32).optional(),
    })
    .strict(),
  'printer.reprint': z.object({ parent: code }).strict(),
  'printer.preview': z.object({ parent: code }).strict(),
  'printer.jobs': z
    .object({ parent: code.optional(), limit: z.number().int().min(1).max(200).optional() })
    .strict(),
} as const;

export type MethodName = keyof typeof methodSchemas;

export const methodNames = Object.keys(methodSchemas) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methodSchemas, name);
}

/**
 * What answers before anyone logs in (every other method answers not_logged_in, checked in the core): logging
 * in and out, who is logged in, a scan (recorded as refused, and shown so the login screen can take a scanned
 * badge), and status.preLogin, which says whether the station has users yet and fills the login screen's
 * scanner and sync chips. GET /health needs not even the token.
 */
export const preLoginMethods = [
  'auth.login',
  'auth.logout',
  'auth.whoami',
  'scan.submit',
  'status.preLogin',
  'setup.state',
  'setup.firstAdmin',
] as const satisfies readonly MethodName[];

export const eventNames = [
  'onScanResult',
  'onSession',
  'onScannerState',
  'onSyncState',
  'onLinksChanged',
  'onBillRead',
  'onWeighing',
  'onHardwareState',
] as const;
export type EventName = (typeof eventNames)[number];

/**
 * What each method answers: a new method is its schema above and its answer here, then its handler. The handler table (src-main/api/handlers.ts) is checked against it, so the screens
 * read the same types the core returns without importing the core.
 */
export interface MethodResults {
  'auth.login': SessionInfo;
  'auth.logout': null;
  'auth.whoami': SessionInfo | null;
  'setup.state': { firstAdmin: boolean };
  'setup.firstAdmin': SessionInfo;
  'scan.submit': ScanResult;
  'scan.undoLast': LinkChange;
  'scan.closeParent': { closed: string | null };
  'scan.state': { activeParent: ActiveParent | null; children: string[]; recent: ScanRecord[] };
  'links.remove': LinkChange;
  'links.move': LinkChange;
  'bags.lookup': BagStory;
  'bills.create': BillSummary;
  'bills.addParent': {
    bill: BillSummary;
    parent: { code: string; childCount: number };
    warning: Extract<BillWarning, 'parent_not_full'> | null;
  };
  'bills.scanParent': ScannedParent;
  'bills.takeReads': { billNo: string | null };
  'bills.removeParent': BillSummary;
  'bills.complete': { bill: BillSummary; warning: Extract<BillWarning, 'under_capacity'> | null };
  'bills.reopen': BillSummary;
  'bills.get': BillDetail;
  'bills.list': BillSummary[];
  'stats.dashboard': Dashboard;
  'users.list': UserView[];
  'users.create': UserView;
  'users.update': UserView;
  'settings.get': StationSettings;
  'settings.update': StationSettings;
  'status.get': StationStatus;
  'sync.status': SyncState;
  'sync.now': SyncState;
  'conflicts.list': ConflictView[];
  'conflicts.resolve': ConflictRow;
  'bills.export': ExportFile;
  'reports.endOfDay': ExportFile;
  'audit.list': { rows: AuditRow[]; total: number };
  'scanners.list': ScannerState[];
  'scanners.configure': ScannerState[];
  'scanners.testRead': ScannerRead | null;
  'status.preLogin': PreLoginView;
  'hardware.get': HardwareSettings;
  'hardware.configure': HardwareSettings;
  'hardware.state': HardwareState;
  'weights.current': WeighingState | null;
  'weights.weighAgain': WeighingState;
  'weights.weighLater': WeighingState;
  'weights.acknowledge': ParentWeight;
  'printer.reprint': PrintJobView;
  'printer.preview': LabelPreview;
  'printer.jobs': PrintJobView[];
}
