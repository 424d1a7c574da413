/**
 * The print queue's table in the station database. Created by the queue on open (CREATE ... IF NOT EXISTS) until
 * the lead turns it into a numbered local migration; the statements below are that migration's text.
 * A job is never deleted by the queue: sent and failed jobs are the printer's history in look-up.
 */
export const PRINT_JOBS_DDL = [
  `CREATE TABLE IF NOT EXISTS print_jobs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    parent_code TEXT NOT NULL,
    reason TEXT NOT NULL CHECK (reason IN ('completed', 'reprint')),
    requested_by TEXT,
    layout TEXT NOT NULL CHECK (layout IN ('100x150mm', '4x2in')),
    dpi INTEGER NOT NULL CHECK (dpi IN (203, 300)),
    zpl TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'sending', 'sent', 'sent_unconfirmed', 'failed')),
    attempts INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL,
    last_error TEXT,
    last_error_detail TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    sent_at INTEGER
  )`,
  `CREATE INDEX IF NOT EXISTS print_jobs_open ON print_jobs (id) WHERE state IN ('pending', 'sending')`,
  `CREATE INDEX IF NOT EXISTS print_jobs_parent ON print_jobs (parent_code, id)`,
] as const;
