import type { SyncPhase, SyncProgress, SyncState } from './sync-status.ts';

/** A refused saved code pattern, said at start and in status.get until an admin replaces it. */
export interface StatusWarning {
  code: 'pattern_refused';
  message: string;
  params: { pattern: string };
}

/** status.get and `baglink status`: the station, its outbox and its link to the centre. */
export interface StationStatus {
  version: string;
  stationId: string;
  name: string;
  dispatchArea: string;
  dataDir: string;
  users: number;
  operator: string | null;
  outbox: { depth: number; oldestUnsentAt: number | null };
  sync: SyncState;
  warnings: StatusWarning[];
}

/** What the login and first-run screens may read before anyone logs in. */
export interface PreLoginView {
  name: string;
  version: string;
  hasUsers: boolean;
  scanners: { count: number; ready: number };
  /** progress: how far a long sync step is (a page opened during a first load shows it at once). */
  sync: {
    state: SyncPhase;
    outboxDepth: number;
    progress: SyncProgress | null;
    waitingSeconds: number | null;
  };
}

/** stats.dashboard: today's work, per operator and hour, the last 14 days and the station's totals. */
export interface Dashboard {
  day: string;
  /** parents: parents started (a parent scan that made its bag, not one scanned again), as the end-of-day report counts them. */
  today: { scans: number; parents: number; links: number; rejected: number; billAdds: number };
  perOperator: { username: string; parents: number; links: number; rejected: number }[];
  perHour: { hour: number; links: number; rejected: number }[];
  last14Days: { day: string; links: number; parents: number; rejected: number }[];
  totals: {
    bags: number;
    parents: number;
    children: number;
    links: number;
    fullParents: number;
    billsOpen: number;
    billsCompleted: number;
  };
  outbox: { depth: number; oldestUnsentAt: number | null };
  /**
   * Today's weighings (issue 16), each a count of parents: weighed (a weight recorded today), later (put off
   * today), off (weighed off today); unacknowledged: off weights still waiting for a supervisor, whatever day
   * they were weighed; estimatedParents: parents completed today (filled, or closed with "complete parent")
   * whose weight now is not a current recorded one (never weighed, put off, or changed since).
   */
  weights: { weighed: number; later: number; off: number; unacknowledged: number; estimatedParents: number };
}
