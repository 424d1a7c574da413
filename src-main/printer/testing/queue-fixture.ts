import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ParentLabel } from '../label.ts';

/** The station database's settings that matter to the queue: WAL, and a commit is on disk when it returns. */
export function openStationFile(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 5000');
  return db;
}

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'baglink-printer-'));
}

export function parentLabel(parentCode: string): ParentLabel {
  return {
    parentCode,
    childCount: 30,
    weightKg: 29.4,
    weightEstimated: false,
    station: 'Dock 3',
    operator: 'Asha',
    at: Date.UTC(2026, 11, 3, 9, 5),
    billNumber: null,
  };
}
