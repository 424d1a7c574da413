import type Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ParentLabel } from '../label.ts';
import { openStore } from '../../store/open.ts';

/**
 * A real station database at `file` (DIR/station.db), migrated as a station opens it: the print_jobs table is
 * migration 0006's, WAL, and a commit is on disk when it returns.
 */
export function openStationFile(file: string): Database.Database {
  if (path.basename(file) !== 'station.db')
    throw new Error(`a station database is DIR/station.db, not ${file}`);
  return openStore(path.dirname(file), { create: true }).sqlite;
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
