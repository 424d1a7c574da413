import type { Writable } from 'node:stream';
import type { EndOfDay, SyncHealth } from './end-of-day.ts';
import { runExportJob, summarizeJobDay, type BillJob, type DayJob, type JobDone } from './export-job.ts';
import { createExportRunner } from './export-runner.ts';
import { localDay } from '../core/local-time.ts';
import type { Context } from '../store/context.ts';
import { StationError } from '../../src-shared/errors.ts';
import { normalizeCode } from '../core/normalize.ts';
import type { Operator } from '../../src-shared/domain.ts';
import { requireRole } from '../core/roles.ts';
import {
  billFormats,
  reportFormats,
  type BillFormat,
  type ExportFile,
  type ReportFormat,
} from '../../src-shared/export-formats.ts';

export interface ExportDone {
  fileName: string;
  mimeType: string;
  /** Child rows for a bill (parents for its PDF), scans summarised for a day. */
  rows: number;
}

/** Who asks: a logged-in operator (a supervisor at least), or the console (`baglink export`, file access). */
export type Requester = Operator | null | 'console';

/** The station's sync state as status() reports it; read field by field. */
export type SyncState = { state?: unknown; lastSuccessAt?: unknown; lastError?: unknown } | null | undefined;

function syncOf(s: SyncState): Omit<SyncHealth, 'outboxDepth' | 'oldestUnsentAt'> {
  const error = s?.lastError;
  return {
    state: typeof s?.state === 'string' ? s.state : 'unknown',
    lastSuccessAt: typeof s?.lastSuccessAt === 'number' ? s.lastSuccessAt : null,
    lastError:
      typeof error === 'string'
        ? error
        : error && typeof error === 'object' && 'message' in error
          ? String(error.message)
          : null,
  };
}

/**
 * Bill exports and the end-of-day report. Supervisor work, checked here; every export leaves an audit row.
 * Each export reads one snapshot on its own connection. The API's exports (billFile, endOfDayFile) are built
 * in a worker thread, so scans and /health stay quick while a large file is made; the console's stream into
 * a file in this thread (the command has nothing else to do).
 */
export function createExportService(ctx: Context) {
  const runner = createExportRunner();

  function who(requester: Requester): Operator | null {
    return requester === 'console' ? null : requireRole(requester, 'supervisor');
  }

  function audit(by: Operator | null, action: string, entity: string, entityId: string, after: object) {
    const at = ctx.clock.now();
    ctx.transaction(() =>
      ctx.journal.audit({
        at,
        userId: by?.id ?? null,
        action,
        entity,
        entityId,
        before: null,
        after: by ? after : { ...after, via: 'console' },
      }),
    );
  }

  function base(by: Operator | null) {
    return {
      dbPath: ctx.sqlite.name,
      station: ctx.station,
      at: ctx.clock.now(),
      by: by?.username ?? 'console',
      childWeightKg: ctx.profile.childWeightKg,
    };
  }

  function billJob(requester: Requester, rawBillNo: string, format: BillFormat) {
    const by = who(requester);
    if (!(billFormats as readonly string[]).includes(format)) {
      throw new StationError('invalid_export_format', { format, formats: billFormats.join(', ') });
    }
    const { stationId, name, dispatchArea } = ctx.station;
    const job: BillJob = {
      ...base(by),
      station: { stationId, name, dispatchArea },
      kind: 'bill',
      billNo: normalizeCode(rawBillNo).code,
      format,
      parentExpectedWeightKg: ctx.profile.parentExpectedWeightKg,
    };
    return { by, job };
  }

  function dayJob(requester: Requester, day: string, format: ReportFormat, sync: SyncState) {
    const by = who(requester);
    if (!(reportFormats as readonly string[]).includes(format)) {
      throw new StationError('invalid_export_format', { format, formats: reportFormats.join(', ') });
    }
    const range = localDay(day);
    if (!range) throw new StationError('invalid_date', { date: day });
    const { stationId, name, dispatchArea } = ctx.station;
    const job: DayJob = {
      ...base(by),
      station: { stationId, name, dispatchArea },
      kind: 'eod',
      day,
      ...range,
      format,
      sync: syncOf(sync),
    };
    return { by, job };
  }

  function auditBill(by: Operator | null, job: BillJob, done: JobDone): ExportDone {
    const bill = done.bill!;
    const { fileName, mimeType, rows } = done;
    audit(by, 'bill.export', 'bill', bill.id, { billNo: bill.billNo, format: job.format, fileName, rows });
    return { fileName, mimeType, rows };
  }

  function auditDay(by: Operator | null, job: DayJob, done: JobDone): ExportDone {
    const { fileName, mimeType, rows } = done;
    audit(by, 'report.endOfDay', 'report', job.day, {
      day: job.day,
      format: job.format,
      fileName,
      scans: rows,
    });
    return { fileName, mimeType, rows };
  }

  async function inWorker(job: BillJob | DayJob, record: (done: JobDone) => ExportDone): Promise<ExportFile> {
    const { done, bytes } = await runner.run(job);
    const { fileName, mimeType } = record(done);
    return { fileName, mimeType, dataBase64: bytes.toString('base64') };
  }

  return {
    /** Streams a bill to `out` (a file): CSV, XLSX or PDF. */
    async bill(requester: Requester, billNo: string, format: BillFormat, out: Writable): Promise<ExportDone> {
      const { by, job } = billJob(requester, billNo, format);
      return auditBill(by, job, await runExportJob(job, out));
    },
    /** The figures of one local day (YYYY-MM-DD), as the end-of-day report shows them. */
    report(requester: Requester, day: string, sync: SyncState): EndOfDay {
      return summarizeJobDay(dayJob(requester, day, 'csv', sync).job);
    },
    /** Streams the end-of-day report to `out`: CSV or PDF. */
    async endOfDay(
      requester: Requester,
      day: string,
      format: ReportFormat,
      sync: SyncState,
      out: Writable,
    ): Promise<ExportDone> {
      const { by, job } = dayJob(requester, day, format, sync);
      return auditDay(by, job, await runExportJob(job, out));
    },
    /** For the API: the whole file, base64-encoded, built in a worker thread. */
    billFile(requester: Requester, billNo: string, format: BillFormat): Promise<ExportFile> {
      const { by, job } = billJob(requester, billNo, format);
      return inWorker(job, (done) => auditBill(by, job, done));
    },
    endOfDayFile(requester: Requester, day: string, format: ReportFormat, sync: SyncState) {
      const { by, job } = dayJob(requester, day, format, sync);
      return inWorker(job, (done) => auditDay(by, job, done));
    },
  };
}

export type ExportService = ReturnType<typeof createExportService>;
