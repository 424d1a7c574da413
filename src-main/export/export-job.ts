import type { Writable } from 'node:stream';
import { writeBillCsv } from './bill-csv.ts';
import type { BillDocument } from './bill-document.ts';
import { billQuery } from './bill-query.ts';
import { summarizeDay, type EndOfDay, type SyncHealth } from './end-of-day.ts';
import { writeEodCsv } from './eod-csv.ts';
import { weightTotal } from './parent-weight.ts';
import { openSnapshotAt } from './snapshot.ts';
import { fileSafe } from '../core/local-time.ts';
import { StationError } from '../../src-shared/errors.ts';
import { exportFormat, type BillFormat, type ReportFormat } from '../../src-shared/export-formats.ts';

// exceljs and pdfkit are large: loaded on the first export, not on every start of the station.
const billWriters: Record<BillFormat, (doc: BillDocument, out: Writable) => Promise<number>> = {
  csv: writeBillCsv,
  xlsx: async (doc, out) => (await import('./bill-xlsx.ts')).writeBillXlsx(doc, out),
  pdf: async (doc, out) => (await import('./bill-pdf.ts')).writeBillPdf(doc, out),
};
const reportWriters: Record<ReportFormat, (r: EndOfDay, out: Writable) => Promise<number>> = {
  csv: writeEodCsv,
  pdf: async (r, out) => (await import('./eod-pdf.ts')).writeEodPdf(r, out),
};

/** Who and what the file is for: plain data, so a job can cross into a worker thread. */
interface JobBase {
  /** The station database: the job reads it on its own read-only connection. */
  dbPath: string;
  station: { stationId: string; name: string; dispatchArea: string };
  at: number;
  by: string;
  childWeightKg: number;
}

export interface BillJob extends JobBase {
  kind: 'bill';
  /** Normalised already. */
  billNo: string;
  format: BillFormat;
  parentExpectedWeightKg: number;
}

export interface DayJob extends JobBase {
  kind: 'eod';
  day: string;
  start: number;
  end: number;
  format: ReportFormat;
  sync: Omit<SyncHealth, 'outboxDepth' | 'oldestUnsentAt'>;
}

export type ExportJob = BillJob | DayJob;

/** What a finished job tells the station, for its answer and its audit row. */
export interface JobDone {
  fileName: string;
  mimeType: string;
  /** Child rows for a bill (parents for its PDF), scans summarised for a day. */
  rows: number;
  /** The bill's id and number as stored, for the audit row. */
  bill?: { id: string; billNo: string };
}

async function runBill(job: BillJob, out: Writable): Promise<JobDone> {
  const snapshot = openSnapshotAt(job.dbPath);
  try {
    const q = billQuery(snapshot.db, job.childWeightKg);
    const header = q.header(job.billNo);
    if (!header) throw new StationError('bill_not_found', { billNo: job.billNo });
    const parents = q.parents(header.id);
    const weight = weightTotal(parents.map((p) => p.weight));
    const doc: BillDocument = {
      station: job.station,
      bill: header,
      parents,
      children: () => q.children(header.id),
      childWeightKg: job.childWeightKg,
      parentExpectedWeightKg: job.parentExpectedWeightKg,
      actualWeightKg: weight.kg,
      estimatedParents: weight.estimatedParents,
      expectedWeightKg: header.capacity * job.parentExpectedWeightKg,
      exportedAt: job.at,
      exportedBy: job.by,
    };
    const rows = await billWriters[job.format](doc, out);
    return {
      fileName: `bill-${fileSafe(header.billNo)}.${exportFormat(job.format).extension}`,
      mimeType: exportFormat(job.format).mimeType,
      rows,
      bill: { id: header.id, billNo: header.billNo },
    };
  } finally {
    snapshot.close();
  }
}

/** The figures of one local day, from one snapshot. */
export function summarizeJobDay(job: Omit<DayJob, 'format' | 'kind'>): EndOfDay {
  const snapshot = openSnapshotAt(job.dbPath);
  try {
    return summarizeDay(
      snapshot.db,
      { day: job.day, start: job.start, end: job.end },
      { station: job.station, generatedAt: job.at, generatedBy: job.by },
      job.sync,
      job.childWeightKg,
    );
  } finally {
    snapshot.close();
  }
}

async function runDay(job: DayJob, out: Writable): Promise<JobDone> {
  const summary = summarizeJobDay(job);
  await reportWriters[job.format](summary, out);
  return {
    fileName: `end-of-day-${job.day}.${exportFormat(job.format).extension}`,
    mimeType: exportFormat(job.format).mimeType,
    rows: summary.totals.scans,
  };
}

/** Reads what the job names from its own snapshot and streams the file into `out`, which it ends. */
export function runExportJob(job: ExportJob, out: Writable): Promise<JobDone> {
  return job.kind === 'bill' ? runBill(job, out) : runDay(job, out);
}
