import type Database from 'better-sqlite3';
import type { PortClock } from '../scanner/port.ts';
import { backoffDelay, systemClock } from '../scanner/port.ts';
import { HOST_STATUS_QUERY, parseHostStatus } from './host-status.ts';
import type { LabelFormat, ParentLabel } from './label.ts';
import { buildLabelZpl } from './label.ts';
import type { PrinterMessageCode, PrinterResult } from './messages.ts';
import type { PrinterStatus } from './printer-status.ts';
import { blockingProblem, errorDetail, statusFromAnswer, unreachableStatus } from './printer-status.ts';
import type { NewPrintJob, PrintJob, PrintJobState } from './queue-rows.ts';
import { PrintJobRows } from './queue-rows.ts';
import type { ExchangeOutcome, PrinterTransport } from './transport.ts';

export interface PrintQueueOptions {
  /**
   * Tries of one job whose connection failed before it is `failed`; a printer reporting a problem is not a try.
   * A try that broke while writing (the label may have arrived) is sent again once only: see WRITE_TRIES.
   */
  maxAttempts: number;
  /** Full-jitter backoff between failed tries: base, cap (ms); a try never comes sooner than `backoffMinMs`. */
  backoffBaseMs: number;
  backoffCapMs: number;
  backoffMinMs: number;
  /** How long a job waits before asking again while the printer reports paper out, head open, pause ... */
  holdMs: number;
  /** How long the printer has to answer ~HS; no answer by then is "sent, unconfirmed". */
  replyTimeoutMs: number;
  /** How often an idle queue asks the printer for its status (0: never), so the header shows paper out early. */
  pollIntervalMs: number;
}

export const defaultPrintQueueOptions: PrintQueueOptions = {
  maxAttempts: 6,
  backoffBaseMs: 2000,
  backoffCapMs: 60_000,
  backoffMinMs: 500,
  holdMs: 5000,
  replyTimeoutMs: 3000,
  pollIntervalMs: 30_000,
};

export interface PrintQueueSummary {
  printer: PrinterStatus;
  counts: Record<PrintJobState, number>;
}

export interface PrintQueueDeps {
  db: Database.Database;
  transport: PrinterTransport;
  clock?: PortClock;
  random?: () => number;
  options?: Partial<PrintQueueOptions>;
  /** Called after every change of a job or of the printer's status: the header and the settings screen. */
  onChange?: (summary: PrintQueueSummary) => void;
  /** An error of the queue itself (the database refused a write): reported, and the queue tries again later. */
  onError?: (error: unknown) => void;
}

const STATUS_QUERY = Buffer.from(HOST_STATUS_QUERY, 'latin1');

/**
 * Sends of one job that broke while writing, after which it is `sent_unconfirmed` rather than sent again: each
 * may have printed the label (README: a label may print twice, never more).
 */
const WRITE_TRIES = 2;

/**
 * Parent labels, printed one at a time in the order queued, from a table in the station database.
 * Guarantees: a job is committed before enqueue returns (a kill -9 after that loses no label); it is marked
 * `sending` before its first byte goes out, and a job found `sending` on open is sent again, as is one whose
 * connection broke mid-write, once: a second break while writing leaves it `sent_unconfirmed` (it may have
 * printed twice, never more). A printer that reports a blocking problem (paper out ...) in its answer right after
 * the label leaves the job `sent_unconfirmed` with that problem: the label may be missing or cut, and sending it
 * again could print it twice once the roll is loaded. No label is silently dropped.
 */
export class PrintQueue {
  private readonly rows: PrintJobRows;
  private readonly transport: PrinterTransport;
  private readonly clock: PortClock;
  private readonly random: () => number;
  private readonly options: PrintQueueOptions;
  private readonly onChange: (summary: PrintQueueSummary) => void;
  private readonly onError: (error: unknown) => void;
  private printer: PrinterStatus = { state: 'unknown', problems: [], error: null, checkedAt: null };
  private work: Promise<void> = Promise.resolve();
  private timer: unknown;
  private scheduled = false;
  private stopped = true;
  /** Sends of a job in this run that broke while writing (a job recovered from `sending` counts one). */
  private readonly brokenWrites = new Map<number, number>();

  constructor(deps: PrintQueueDeps) {
    this.transport = deps.transport;
    this.clock = deps.clock ?? systemClock;
    this.random = deps.random ?? Math.random;
    this.options = { ...defaultPrintQueueOptions, ...deps.options };
    this.onChange = deps.onChange ?? (() => undefined);
    this.onError = deps.onError ?? ((error) => process.emitWarning(`print queue: ${String(error)}`));
    this.rows = new PrintJobRows(deps.db, deps.transport.target);
    this.rows.recoverInterrupted(this.clock.now());
  }

  /** Starts sending: what was left pending by an earlier run goes first. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.wake(0);
  }

  /** Waits for the job in hand (if any) to finish its exchange; pending jobs stay in the table for the next run. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    await this.work;
  }

  /** Queues a label and returns at once: printing happens behind the caller. */
  enqueue(job: NewPrintJob): PrintJob {
    const queued = this.rows.insert(job, this.clock.now());
    this.changed();
    this.wake(0);
    return queued;
  }

  /** Builds the label and queues it; refused only when the code cannot be a barcode on this label. */
  enqueueLabel(
    label: ParentLabel,
    format: LabelFormat,
    reason: NewPrintJob['reason'],
    requestedBy: string | null = null,
  ): PrinterResult<PrintJob> {
    const zpl = buildLabelZpl(label, format);
    if (!zpl.ok) return zpl;
    const { layout, dpi } = format;
    return {
      ok: true,
      value: this.enqueue({
        parentCode: label.parentCode,
        childCount: label.childCount,
        reason,
        requestedBy,
        layout,
        dpi,
        zpl: zpl.value,
      }),
    };
  }

  /**
   * A label that cannot be made (enqueueLabel refused it), recorded as a failed job with the reason: look-up and
   * the header's failed count show the parent went without a label, not only the log.
   */
  recordUnprintable(job: Omit<NewPrintJob, 'zpl'>, detail: string): PrintJob {
    const failed = this.rows.insertUnprintable(job, detail, this.clock.now());
    this.changed();
    return failed;
  }

  /** The children the parent's last label on completion said (a completion again unchanged prints nothing). */
  lastCompletedChildCount(parentCode: string): number | undefined {
    return this.rows.lastCompletedChildCount(parentCode);
  }

  /** A supervisor's reprint from look-up: a new job, so the first one's history stays as it was. */
  reprint(label: ParentLabel, format: LabelFormat, requestedBy: string): PrinterResult<PrintJob> {
    return this.enqueueLabel(label, format, 'reprint', requestedBy);
  }

  job(id: number): PrintJob | undefined {
    return this.rows.byId(id);
  }

  /** The ZPL a job sends: for the print preview. */
  zplOf(id: number): string | undefined {
    return this.rows.zplOf(id);
  }

  jobsForParent(parentCode: string): PrintJob[] {
    return this.rows.forParent(parentCode);
  }

  recentJobs(limit = 50): PrintJob[] {
    return this.rows.recent(limit);
  }

  summary(): PrintQueueSummary {
    return { printer: { ...this.printer }, counts: this.rows.counts() };
  }

  /** Runs `step` after whatever the queue is doing: one exchange with the printer at a time. */
  private serial(step: () => Promise<void>): Promise<void> {
    this.work = this.work.then(step).catch((error: unknown) => {
      // A printer must never take the station down: say it, and come back to the queue after the longest backoff.
      this.onError(error);
      this.wake(this.options.backoffCapMs);
    });
    return this.work;
  }

  private wake(delayMs: number): void {
    if (this.stopped) return;
    this.clock.clearTimeout(this.timer);
    this.timer = this.clock.setTimeout(() => {
      this.timer = undefined;
      if (this.scheduled) return;
      this.scheduled = true;
      void this.serial(async () => {
        this.scheduled = false;
        await this.pump();
      });
    }, delayMs);
  }

  private async pump(): Promise<void> {
    while (!this.stopped) {
      const head = this.rows.head();
      if (!head) {
        // Idle: ask the printer now and then, so paper out shows before the next parent is completed.
        if (this.options.pollIntervalMs > 0 && this.transport.answers) {
          this.timer = this.clock.setTimeout(
            () => void this.serial(() => this.poll()),
            this.options.pollIntervalMs,
          );
        }
        return;
      }
      const wait = head.job.nextAttemptAt - this.clock.now();
      if (wait > 0) return this.wake(wait);
      await this.attempt(head.job, head.zpl);
    }
  }

  private async poll(): Promise<void> {
    if (this.stopped) return;
    const outcome = await this.transport.exchange(STATUS_QUERY, this.options.replyTimeoutMs);
    this.notePrinter(outcome);
    this.wake(0);
  }

  private async attempt(job: PrintJob, zpl: string): Promise<void> {
    if (this.transport.answers) {
      // Ask first: a label sent into paper out would sit in the printer's memory, lost at its next power cycle.
      const check = await this.transport.exchange(STATUS_QUERY, this.options.replyTimeoutMs);
      this.notePrinter(check);
      if (check.stage !== 'done') return this.failTry(job, 'printer_unreachable', check.error);
      const problem = blockingProblem(parseHostStatus(check.reply));
      if (problem) return this.hold(job, problem);
    }
    this.rows.markSending(job.id, this.clock.now());
    this.changed();
    const query = this.transport.answers ? STATUS_QUERY : Buffer.alloc(0);
    const outcome = await this.transport.exchange(
      Buffer.concat([Buffer.from(zpl, 'utf8'), query]),
      this.options.replyTimeoutMs,
    );
    this.notePrinter(outcome);
    if (outcome.stage === 'connect') return this.failTry(job, 'printer_unreachable', outcome.error);
    if (outcome.stage === 'write') return this.brokenWrite(job, outcome.error);
    this.brokenWrites.delete(job.id);
    const answer = parseHostStatus(outcome.reply);
    const problem = answer && blockingProblem(answer);
    const error = !answer
      ? { code: 'printer_no_answer' as const, detail: '' }
      : problem
        ? { code: 'printer_problem_after_label' as const, detail: problemText(answer.problems) }
        : null;
    const now = this.clock.now();
    this.rows.update(
      job.id,
      {
        state: error ? 'sent_unconfirmed' : 'sent',
        attempts: job.attempts + 1,
        nextAttemptAt: now,
        error,
        sentAt: now,
      },
      now,
    );
    this.changed();
  }

  /**
   * The connection broke after the label started going out: it may have printed. Sent again once (a label
   * missing stops the loader, a twin does not), then left `sent_unconfirmed` for a person to check.
   */
  private brokenWrite(job: PrintJob, cause: unknown): void {
    const before = this.brokenWrites.get(job.id) ?? (job.error?.code === 'printer_write_failed' ? 1 : 0);
    const broken = before + 1;
    if (broken < WRITE_TRIES) {
      this.brokenWrites.set(job.id, broken);
      return this.failTry(job, 'printer_write_failed', cause);
    }
    this.brokenWrites.delete(job.id);
    const now = this.clock.now();
    const error = { code: 'printer_write_unconfirmed' as const, detail: errorDetail(cause) };
    this.rows.update(
      job.id,
      { state: 'sent_unconfirmed', attempts: job.attempts + 1, nextAttemptAt: now, error, sentAt: now },
      now,
    );
    this.changed();
  }

  /** The printer said why it cannot print: the job waits, without using up a try. */
  private hold(job: PrintJob, problem: PrinterMessageCode): void {
    const now = this.clock.now();
    const error = { code: problem, detail: '' };
    this.rows.update(
      job.id,
      { ...job, state: 'pending', nextAttemptAt: now + this.options.holdMs, error },
      now,
    );
    this.changed();
  }

  private failTry(job: PrintJob, code: PrinterMessageCode, cause: unknown): void {
    const now = this.clock.now();
    const attempts = job.attempts + 1;
    const { maxAttempts, backoffBaseMs, backoffCapMs, backoffMinMs } = this.options;
    const delay = backoffMinMs + backoffDelay(attempts - 1, this.random, backoffBaseMs, backoffCapMs);
    const state = attempts >= maxAttempts ? 'failed' : 'pending';
    const error = { code, detail: errorDetail(cause) };
    this.rows.update(job.id, { state, attempts, nextAttemptAt: now + delay, error, sentAt: null }, now);
    this.changed();
  }

  private notePrinter(outcome: ExchangeOutcome): void {
    const now = this.clock.now();
    const target = this.transport.target;
    if (outcome.stage === 'done') {
      this.printer = statusFromAnswer(parseHostStatus(outcome.reply), target, now);
    } else if (outcome.stage === 'connect') {
      this.printer = unreachableStatus(target, errorDetail(outcome.error), now);
    }
    this.changed();
  }

  private changed(): void {
    this.onChange(this.summary());
  }
}

/** "paper out, head open": the printer's problems as the job's detail. */
function problemText(problems: readonly string[]): string {
  return problems.map((p) => p.replace(/_/g, ' ')).join(', ');
}
