import type Database from 'better-sqlite3';
import type { LabelLayout, PrinterDpi } from './label.ts';
import type { PrinterError, PrinterMessageCode } from './messages.ts';
import { printerError } from './messages.ts';

export type PrintJobState = 'pending' | 'sending' | 'sent' | 'sent_unconfirmed' | 'failed';
export type PrintReason = 'completed' | 'reprint';

export interface PrintJob {
  id: number;
  parentCode: string;
  reason: PrintReason;
  requestedBy: string | null;
  layout: LabelLayout;
  dpi: PrinterDpi;
  state: PrintJobState;
  attempts: number;
  nextAttemptAt: number;
  /** Why the last try did not end in `sent` (or why the job waits or failed). */
  error: PrinterError | null;
  createdAt: number;
  updatedAt: number;
  sentAt: number | null;
}

export interface NewPrintJob {
  parentCode: string;
  reason: PrintReason;
  requestedBy?: string | null;
  layout: LabelLayout;
  dpi: PrinterDpi;
  zpl: string;
  /** The children the label says (null when not known). */
  childCount?: number | null;
}

interface JobRow {
  id: number;
  parent_code: string;
  reason: PrintReason;
  requested_by: string | null;
  layout: LabelLayout;
  dpi: PrinterDpi;
  zpl: string;
  state: PrintJobState;
  attempts: number;
  next_attempt_at: number;
  last_error: PrinterMessageCode | null;
  last_error_detail: string | null;
  created_at: number;
  updated_at: number;
  sent_at: number | null;
}

export interface JobOutcome {
  state: PrintJobState;
  attempts: number;
  nextAttemptAt: number;
  error: { code: PrinterMessageCode; detail: string } | null;
  sentAt: number | null;
}

/**
 * The print_jobs table (created by the station's migration 0006): every statement the queue runs, in one place.
 * A job is never deleted by the queue: sent and failed jobs are the printer's history in look-up.
 */
export class PrintJobRows {
  private readonly statements;

  constructor(
    private readonly db: Database.Database,
    private readonly target: string,
  ) {
    this.statements = {
      insert: db.prepare(
        `INSERT INTO print_jobs (parent_code, child_count, reason, requested_by, layout, dpi, zpl, state, next_attempt_at, created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?) RETURNING *`,
      ),
      lastCompleted: db.prepare(
        `SELECT child_count AS childCount FROM print_jobs WHERE parent_code = ? AND reason = 'completed'
         ORDER BY id DESC LIMIT 1`,
      ),
      byId: db.prepare(`SELECT * FROM print_jobs WHERE id = ?`),
      head: db.prepare(`SELECT * FROM print_jobs WHERE state IN ('pending', 'sending') ORDER BY id LIMIT 1`),
      forParent: db.prepare(`SELECT * FROM print_jobs WHERE parent_code = ? ORDER BY id`),
      recent: db.prepare(`SELECT * FROM print_jobs ORDER BY id DESC LIMIT ?`),
      counts: db.prepare(`SELECT state, count(*) AS n FROM print_jobs GROUP BY state`),
      update: db.prepare(
        `UPDATE print_jobs SET state = ?, attempts = ?, next_attempt_at = ?, last_error = ?, last_error_detail = ?,
         sent_at = ?, updated_at = ? WHERE id = ?`,
      ),
      markSending: db.prepare(`UPDATE print_jobs SET state = 'sending', updated_at = ? WHERE id = ?`),
      // A job left in `sending` by a crash may or may not have reached the printer: it is sent again (README:
      // a label may print twice), since a parent without a label stops the truck loader and a twin does not.
      recover: db.prepare(
        `UPDATE print_jobs SET state = 'pending', last_error = 'printer_write_failed',
         last_error_detail = 'station stopped while sending', updated_at = ? WHERE state = 'sending'`,
      ),
    };
  }

  recoverInterrupted(now: number): number {
    return this.statements.recover.run(now).changes;
  }

  /** The children the parent's last label on completion said, or undefined when it had none (or none known). */
  lastCompletedChildCount(parentCode: string): number | undefined {
    const row = this.statements.lastCompleted.get(parentCode) as { childCount: number | null } | undefined;
    return row?.childCount ?? undefined;
  }

  insert(job: NewPrintJob, now: number): PrintJob {
    const row = this.statements.insert.get(
      job.parentCode,
      job.childCount ?? null,
      job.reason,
      job.requestedBy ?? null,
      job.layout,
      job.dpi,
      job.zpl,
      now,
      now,
      now,
    ) as JobRow;
    return this.toJob(row);
  }

  /**
   * A job that can never print (its label could not be made): recorded as failed at once, with the reason, so
   * look-up and the header's failed count show it instead of only a log line.
   */
  insertUnprintable(job: Omit<NewPrintJob, 'zpl'>, detail: string, now: number): PrintJob {
    // One transaction: a job with no ZPL is never seen pending.
    const id = this.db.transaction(() => {
      const queued = this.insert({ ...job, zpl: '' }, now);
      const error = { code: 'label_unprintable' as const, detail };
      this.update(queued.id, { state: 'failed', attempts: 0, nextAttemptAt: now, error, sentAt: null }, now);
      return queued.id;
    })();
    return this.byId(id)!;
  }

  /** The oldest open job with its ZPL: jobs print in the order they were queued. */
  head(): { job: PrintJob; zpl: string } | undefined {
    const row = this.statements.head.get() as JobRow | undefined;
    return row && { job: this.toJob(row), zpl: row.zpl };
  }

  byId(id: number): PrintJob | undefined {
    const row = this.statements.byId.get(id) as JobRow | undefined;
    return row && this.toJob(row);
  }

  zplOf(id: number): string | undefined {
    return (this.statements.byId.get(id) as JobRow | undefined)?.zpl;
  }

  forParent(parentCode: string): PrintJob[] {
    return (this.statements.forParent.all(parentCode) as JobRow[]).map((row) => this.toJob(row));
  }

  recent(limit: number): PrintJob[] {
    return (this.statements.recent.all(limit) as JobRow[]).map((row) => this.toJob(row));
  }

  counts(): Record<PrintJobState, number> {
    const counts: Record<PrintJobState, number> = {
      pending: 0,
      sending: 0,
      sent: 0,
      sent_unconfirmed: 0,
      failed: 0,
    };
    for (const { state, n } of this.statements.counts.all() as Array<{ state: PrintJobState; n: number }>) {
      counts[state] = n;
    }
    return counts;
  }

  /** Committed before the first byte goes out, so a crash mid-send is seen on the next open. */
  markSending(id: number, now: number): void {
    this.statements.markSending.run(now, id);
  }

  update(id: number, outcome: JobOutcome, now: number): void {
    const { state, attempts, nextAttemptAt, error, sentAt } = outcome;
    this.statements.update.run(
      state,
      attempts,
      nextAttemptAt,
      error?.code ?? null,
      error?.detail ?? null,
      sentAt,
      now,
      id,
    );
  }

  private toJob(row: JobRow): PrintJob {
    const params = { target: this.target, detail: row.last_error_detail ?? '', parent: row.parent_code };
    let error = row.last_error ? printerError(row.last_error, params) : null;
    // A label that could not be made was never tried: its own sentence, not "gave up after 0 tries".
    if (row.state === 'failed' && row.last_error !== 'label_unprintable') {
      const reason = row.last_error_detail ?? row.last_error ?? '';
      error = printerError('printer_gave_up', { parent: row.parent_code, attempts: row.attempts, reason });
    }
    return {
      id: row.id,
      parentCode: row.parent_code,
      reason: row.reason,
      requestedBy: row.requested_by,
      layout: row.layout,
      dpi: row.dpi,
      state: row.state,
      attempts: row.attempts,
      nextAttemptAt: row.next_attempt_at,
      error,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      sentAt: row.sent_at,
    };
  }
}
