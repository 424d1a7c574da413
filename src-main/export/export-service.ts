import type { Writable } from 'node:stream';
import { writeBillCsv } from './bill-csv.ts';
import type { BillDocument } from './bill-document.ts';
import type { EndOfDay as EndOfDayReport } from './end-of-day.ts';
import { billQuery } from './bill-query.ts';
import { summarizeDay, type EndOfDay, type SyncHealth } from './end-of-day.ts';
import { writeEodCsv } from './eod-csv.ts';
import { BufferOutput } from './output.ts';
import { openSnapshot } from './snapshot.ts';
import { fileSafe, localDay } from './times.ts';
import type { Context } from '../core/context.ts';
import { StationError } from '../core/errors.ts';
import { normalizeCode } from '../core/normalize.ts';
import type { Operator } from '../core/types.ts';
import { requireRole } from '../auth/roles.ts';

export const billFormats = ['csv', 'xlsx', 'pdf'] as const;
export const reportFormats = ['csv', 'pdf'] as const;
export type BillFormat = (typeof billFormats)[number];
export type ReportFormat = (typeof reportFormats)[number];

export const mimeTypes: Record<BillFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

/** What the API answers: the file for a save dialog or a browser download. */
export interface ExportFile {
  fileName: string;
  mimeType: string;
  dataBase64: string;
}

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

// exceljs and pdfkit are large: loaded on the first export, not on every start of the station.
const billWriters: Record<BillFormat, (doc: BillDocument, out: Writable) => Promise<number>> = {
  csv: writeBillCsv,
  xlsx: async (doc, out) => (await import('./bill-xlsx.ts')).writeBillXlsx(doc, out),
  pdf: async (doc, out) => (await import('./bill-pdf.ts')).writeBillPdf(doc, out),
};
const reportWriters: Record<ReportFormat, (r: EndOfDayReport, out: Writable) => Promise<number>> = {
  csv: writeEodCsv,
  pdf: async (r, out) => (await import('./eod-pdf.ts')).writeEodPdf(r, out),
};

/**
 * Bill exports and the end-of-day report. Supervisor work, checked here; every export leaves an audit row.
 * Each export reads one snapshot on its own connection and streams it into `out`, which it ends.
 */
export function createExportService(ctx: Context) {
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

  async function bill(requester: Requester, rawBillNo: string, format: BillFormat, out: Writable) {
    const by = who(requester);
    if (!billFormats.includes(format)) {
      throw new StationError('invalid_export_format', { format, formats: billFormats.join(', ') });
    }
    const billNo = normalizeCode(rawBillNo).code;
    const snapshot = openSnapshot(ctx.sqlite);
    try {
      const q = billQuery(snapshot.db);
      const header = q.header(billNo);
      if (!header) throw new StationError('bill_not_found', { billNo });
      const profile = ctx.profile;
      const doc: BillDocument = {
        station: ctx.station,
        bill: header,
        parents: q.parents(header.id),
        children: () => q.children(header.id),
        childWeightKg: profile.childWeightKg,
        parentExpectedWeightKg: profile.parentExpectedWeightKg,
        actualWeightKg: header.childCount * profile.childWeightKg,
        expectedWeightKg: header.capacity * profile.parentExpectedWeightKg,
        exportedAt: ctx.clock.now(),
        exportedBy: by?.username ?? 'console',
      };
      const rows = await billWriters[format](doc, out);
      const fileName = `bill-${fileSafe(header.billNo)}.${format}`;
      audit(by, 'bill.export', 'bill', header.id, { billNo: header.billNo, format, fileName, rows });
      return { fileName, mimeType: mimeTypes[format], rows } satisfies ExportDone;
    } finally {
      snapshot.close();
    }
  }

  function report(requester: Requester, day: string, sync: SyncState): EndOfDay {
    const by = who(requester);
    const range = localDay(day);
    if (!range) throw new StationError('invalid_date', { date: day });
    const snapshot = openSnapshot(ctx.sqlite);
    try {
      return summarizeDay(
        snapshot.db,
        { day, ...range },
        { station: ctx.station, generatedAt: ctx.clock.now(), generatedBy: by?.username ?? 'console' },
        syncOf(sync),
        ctx.profile.childWeightKg,
      );
    } finally {
      snapshot.close();
    }
  }

  async function endOfDay(
    requester: Requester,
    day: string,
    format: ReportFormat,
    sync: SyncState,
    out: Writable,
  ) {
    if (!reportFormats.includes(format)) {
      throw new StationError('invalid_export_format', { format, formats: reportFormats.join(', ') });
    }
    const summary = report(requester, day, sync);
    await reportWriters[format](summary, out);
    const fileName = `end-of-day-${day}.${format}`;
    const rows = summary.totals.scans;
    audit(who(requester), 'report.endOfDay', 'report', day, { day, format, fileName, scans: rows });
    return { fileName, mimeType: mimeTypes[format], rows } satisfies ExportDone;
  }

  async function asFile(run: (out: Writable) => Promise<ExportDone>): Promise<ExportFile> {
    const out = new BufferOutput();
    const done = await run(out);
    return { fileName: done.fileName, mimeType: done.mimeType, dataBase64: out.buffer().toString('base64') };
  }

  return {
    /** Streams a bill to `out` (a file): CSV, XLSX or PDF. */
    bill,
    /** The figures of one local day (YYYY-MM-DD), as the end-of-day report shows them. */
    report,
    /** Streams the end-of-day report to `out`: CSV or PDF. */
    endOfDay,
    /** For the API: the whole file, base64-encoded. */
    billFile: (requester: Requester, billNo: string, format: BillFormat) =>
      asFile((out) => bill(requester, billNo, format, out)),
    endOfDayFile: (requester: Requester, day: string, format: ReportFormat, sync: SyncState) =>
      asFile((out) => endOfDay(requester, day, format, sync, out)),
  };
}

export type ExportService = ReturnType<typeof createExportService>;
