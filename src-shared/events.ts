import type { HardwareState, WeighingState } from './hardware.ts';
import type { ScanResult, ScannedParent } from './domain.ts';
import type { Result } from './result.ts';
import type { ScannerState } from './scanners.ts';
import type { SyncState } from './sync-status.ts';
import type { SessionInfo } from './users.ts';

/** What a serial read put on (or asked about for) the bill open on the bill screen: the onBillRead event. */
export interface BillRead {
  billNo: string;
  code: string;
  answer: Result<ScannedParent>;
}

/** Everything a station pushes to its screens. Names match the contract's events. */
export interface StationEvents {
  onScanResult: ScanResult;
  onSession: SessionInfo | null;
  /** Every serial scanner, after any one of them changed. */
  onScannerState: ScannerState[];
  onSyncState: SyncState;
  onLinksChanged: LinksChanged;
  onBillRead: BillRead;
  /** A parent's weighing started, settled, was put off or acknowledged (issue 16). */
  onWeighing: WeighingState;
  /** The scale or the printer changed state, or the print queue moved. */
  onHardwareState: HardwareState;
}

/**
 * Links changed other than by a scan (which onScanResult tells): a child taken out or moved (undo, remove, move,
 * a conflict resolved), the active parent closed, or a sync pull that brought changes. Screens read again.
 */
export interface LinksChanged {
  cause: 'unlink' | 'closeParent' | 'pull';
}

export type StationEventName = keyof StationEvents;
