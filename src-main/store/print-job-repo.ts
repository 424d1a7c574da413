import type { Sqlite } from './open.ts';
import type { PrintJobView } from '../../src-shared/hardware.ts';

/**
 * Reads of the label printer's queue (print_jobs, written by src-main/printer/queue.ts) for look-up: a parent's
 * labels, newest first. `error` is the printer's message code of the last failed try (printer_paper_out ...):
 * its sentence lives with the printer until the lead moves those sentences into the error catalogue.
 */
export function createPrintJobRepo(sqlite: Sqlite) {
  const ofParent = sqlite.prepare(
    `select id, parent_code as parentCode, reason, requested_by as requestedBy, state, attempts,
       last_error as error, created_at as createdAt, sent_at as sentAt
     from print_jobs where parent_code = ? order by id desc limit ?`,
  );
  return {
    /** Through print_jobs_parent (parent_code, id), newest first. */
    ofParent: (parentCode: string, limit = 20) => ofParent.all(parentCode, limit) as PrintJobView[],
  };
}

export type PrintJobRepo = ReturnType<typeof createPrintJobRepo>;
