import type { ParentWeight, PrintJobView } from './hardware.ts';
import type { ErrorCode } from './errors.ts';
import type { Role } from './roles.ts';

export type { Role };

export type BagKind = 'parent' | 'child';

/** The person logged in on the station: who every change is written as. */
export interface Operator {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  dispatchArea: string | null;
}

export type ScanAction =
  'parent' | 'link' | 'unlink' | 'move' | 'bill_add' | 'bill_remove' | 'lookup' | 'rejected' | 'ignored';

/**
 * What a read did, for the flash and sound: parent_active (a parent became active), linked, parent_full
 * (linked, and the parent is now full; or a full parent scanned), already_linked, double_read (ignored), rejected, command (a printed
 * command barcode such as CMD-UNDO: recorded, changes nothing; the screens act on it).
 */
export type ScanOutcome =
  | 'parent_active'
  | 'linked'
  | 'parent_full'
  | 'already_linked'
  | 'double_read'
  | 'rejected'
  | 'command'
  /** A known parent that already holds bags (and is not full) made active again. */
  | 'parent_reopened';

export interface ActiveParent {
  code: string;
  childCount: number;
  capacity: number;
  billNo: string | null;
}

export interface ScanResult {
  scanId: string;
  at: number;
  raw: string;
  code: string;
  scanner: string;
  outcome: ScanOutcome;
  reason: ErrorCode | null;
  /** The values in a refusal's sentence, for screens in another language. */
  reasonParams?: Record<string, string | number>;
  message: string;
  activeParent: ActiveParent | null;
  /** For linked_elsewhere: the parent the child is already in. */
  otherParent?: string;
}

export interface BagSummary {
  code: string;
  kind: BagKind;
  dispatchArea: string;
  childCount: number;
  firstSeenAt: number;
}

export interface ScanRecord {
  id: string;
  at: number;
  raw: string;
  code: string;
  action: ScanAction;
  outcome: string;
  reason: string | null;
  username: string | null;
  scanner: string;
  parentCode: string | null;
  billNo: string | null;
}

export interface BagStory {
  code: string;
  bag: BagSummary | null;
  /** For a child: the parent it is in now. */
  parent: { code: string; childCount: number; linkedAt: number; linkedBy: string } | null;
  /** For a parent: its children, in link order. */
  children: { code: string; linkedAt: number; linkedBy: string }[];
  bill: { billNo: string; status: BillStatus; destination: string } | null;
  history: ScanRecord[];
  /** For a parent: its newest weighing (or its estimate, never weighed). */
  weight?: ParentWeight | null;
  /** For a parent: its labels, newest first (the print queue's jobs). */
  labels?: PrintJobView[];
}

export type BillStatus = 'open' | 'completed';

/** A bill as stored: the fields every reader of a bill shares (created by: a username). */
export interface BillRecord {
  id: string;
  billNo: string;
  destination: string;
  vehicleNo: string;
  capacity: number;
  description: string;
  status: BillStatus;
  parentCount: number;
  childCount: number;
  createdAt: number;
  createdBy: string;
  completedAt: number | null;
}

export interface BillSummary extends BillRecord {
  /** Recorded weights of its parents where they exist, estimates (children x child weight) for the rest. */
  actualWeightKg: number;
  expectedWeightKg: number;
  /** Some parent's weight is estimated, stale or put off: the total is then shown as estimated. */
  weightEstimated?: boolean;
  /** Parents with a current recorded weight. */
  weighedParents?: number;
}

export interface BillDetail extends BillSummary {
  parents: { code: string; childCount: number; addedAt: number; children: string[]; weight?: ParentWeight }[];
}

/** A child taken out of its parent or moved to another (undo, remove, move). */
export interface LinkChange {
  child: string;
  fromParent: string;
  toParent: string | null;
  parentChildCount: number;
}

export type BillWarning = 'parent_not_full' | 'under_capacity';

/** What a parent scanned at the bill screen did: went on the bill, or waits for a yes because it is not full. */
export type ScannedParent =
  | {
      added: true;
      bill: BillSummary;
      parent: { code: string; childCount: number };
      warning: BillWarning | null;
    }
  | { added: false; notFull: { parent: string; childCount: number; capacity: number } };
