import { spawnSync } from 'node:child_process';
import {
  lstatSync,
  mkdtempSync,
  rmSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baglink } from '../../src-main/bench/serve-process.ts';
import { BILL_NO, stationWithBill } from '../../src-main/export/testing/test-bill.ts';
import type { TestStation } from '../../src-main/testing/test-station.ts';

/** `baglink export bill` in a real process, so an unhandled stream error would show as a crash. */
function exportTo(t: TestStation, out: string, format = 'pdf') {
  return baglink(['export', 'bill', BILL_NO, '--format', format, '--out', out, '--data-dir', t.dir]);
}

const refusal = /^Cannot write the export to .*: it is not an ordinary file/;

describe('baglink export --out: only a new name or an ordinary file is replaced', () => {
  let t: TestStation;
  let folder: string;
  beforeAll(async () => {
    t = await stationWithBill();
    t.station.close();
    // Outside the data folder: an export is never written there (out-target.ts).
    folder = mkdtempSync(join(tmpdir(), 'baglink-exports-'));
  });
  afterAll(() => {
    t.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  const leftovers = () => readdirSync(folder).filter((f) => f.endsWith('.part'));

  it('replaces an ordinary file and writes a new name, owner-only, through a temporary file', () => {
    const old = join(folder, 'old.csv');
    writeFileSync(old, 'stale', { mode: 0o644 });
    expect(exportTo(t, old, 'csv')).toMatchObject({ code: 0 });
    expect(readFileSync(old, 'utf8')).toContain('SB00001');
    expect(statSync(old).mode & 0o777).toBe(0o600);
    expect(exportTo(t, join(folder, 'new.xlsx'), 'xlsx')).toMatchObject({ code: 0 });
    expect(leftovers()).toEqual([]);
  });

  it('refuses a symlink and leaves both the link and the file it points at as they were', () => {
    const victim = join(t.dir, 'victim.txt');
    writeFileSync(victim, 'keep me');
    const link = join(folder, 'link.pdf');
    symlinkSync(victim, link);
    const r = exportTo(t, link);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(refusal);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readlinkSync(link)).toBe(victim);
    expect(readFileSync(victim, 'utf8')).toBe('keep me');
    expect(leftovers()).toEqual([]);
  });

  it('refuses a named pipe, a folder and a device without hanging', () => {
    const fifo = join(folder, 'pipe.csv');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const target of [fifo, folder, '/dev/null']) {
      const r = exportTo(t, target, 'csv');
      expect(r, target).toMatchObject({ code: 2, stderr: expect.stringMatching(refusal) });
    }
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(leftovers()).toEqual([]);
  });

  it('refuses /proc/version for every format with one sentence, not a crash', () => {
    for (const format of ['csv', 'xlsx', 'pdf']) {
      const r = exportTo(t, '/proc/version', format);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr.trim()).toMatch(/^Cannot write the export in the folder \/proc \(\w+\): give --out/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    expect(readFileSync('/proc/version', 'utf8')).toMatch(/^Linux/);
  });

  it('says so in one sentence when the folder does not exist', () => {
    const r = exportTo(t, join(folder, 'no-such-folder', 'x.csv'), 'csv');
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining('(ENOENT)') });
  });
});
