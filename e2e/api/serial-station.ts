import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { startPtyPair, stopAllPtyPairs, type PtyPair } from '../../src-main/scanner/pty-pair.ts';
import { baglink, type Served } from '../../src-main/bench/serve-process.ts';

/** Polls check every 100 ms until it holds, or fails naming what it waited for. */
export async function until(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface SerialFolder {
  dataDir: string;
  pty: PtyPair;
}

/** A data folder with one admin (`ravi`, `dock-password`) and a pty pair: `serve --scanner pty.station`. */
export async function serialFolder(prefix: string): Promise<SerialFolder> {
  const dataDir = mkdtempSync(join(tmpdir(), prefix));
  const pty = await startPtyPair(dataDir);
  const added = baglink(
    ['user', 'add', '--data-dir', dataDir, '--username', 'ravi', '--role', 'admin', '--password-stdin'],
    'dock-password\n',
  );
  expect(added.code, added.stderr).toBe(0);
  return { dataDir, pty };
}

/** Kills the station (as a crash would), stops the ptys and deletes the folder. */
export async function closeSerialFolder(folder: SerialFolder, station: Served | undefined): Promise<void> {
  await station?.stop('SIGKILL');
  await stopAllPtyPairs();
  rmSync(folder.dataDir, { recursive: true, force: true });
}
