import { spawnSync } from 'node:child_process';
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  statSync,
  truncateSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baglink, serve, type Answer, type Served } from '../../src-main/bench/serve-process.ts';

const password = 'a-long-password';
const sentence =
  /^The disk is full: nothing was saved\. Free space on the disk that holds .*station, then try again\.$/;

/** A small tmpfs of its own, so the test fills a real disk and nothing else; needs root (CAP_SYS_ADMIN). */
function mountSmallDisk(at: string): string | null {
  mkdirSync(at, { recursive: true });
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=6m,mode=0700', 'tmpfs', at], { encoding: 'utf8' });
  return r.status === 0
    ? null
    : `no tmpfs could be mounted here (${(r.stderr || r.error?.message || '').trim()})`;
}

/** Writes until the disk says ENOSPC. */
function fill(path: string): void {
  const fd = openSync(path, 'w');
  const chunk = Buffer.alloc(64 * 1024, 1);
  try {
    for (;;) writeSync(fd, chunk);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
  } finally {
    closeSync(fd);
  }
}

const root = mkdtempSync(join(tmpdir(), 'baglink-disk-'));
const disk = join(root, 'disk');
const skipped = mountSmallDisk(disk);

describe.skipIf(skipped !== null)(`a full disk ${skipped ? `(skipped: ${skipped})` : ''}`, () => {
  const dir = join(disk, 'station');
  let s: Served;
  beforeAll(async () => {
    expect(baglink(['migrate', '--data-dir', dir]).code).toBe(0);
    const add = ['user', 'add', '--username', 'admin', '--role', 'admin', '--password-stdin'];
    expect(baglink([...add, '--data-dir', dir], `${password}\n`).code).toBe(0);
    s = await serve(dir);
    expect((await s.call('auth.login', { username: 'admin', password })).ok).toBe(true);
    expect((await s.call('scan.submit', { code: 'SB00001' })).ok).toBe(true);
  });
  afterAll(async () => {
    await s?.stop();
    spawnSync('umount', [disk]);
    rmSync(root, { recursive: true, force: true });
  });

  it('says "the disk is full" with its own code, records the refused read where it can, and recovers', async () => {
    const filler = join(disk, 'filler');
    fill(filler);
    const full = await s.call('scan.submit', { code: 'CHILD0000' });
    expect(full).toMatchObject({
      ok: false,
      error: { code: 'disk_full', message: expect.stringMatching(sentence) },
    });
    expect((await fetch(`${s.url}/health`)).status).toBe(200);

    // Give the disk back a page at a time: a refused link whose small record fits is recorded as a rejected read.
    const size = statSync(filler).size;
    let recorded: Answer | undefined;
    for (let pages = 1; pages <= 64 && !recorded; pages++) {
      truncateSync(filler, size - pages * 4096);
      const a = await s.call('scan.submit', { code: `CHILD${String(pages).padStart(4, '0')}` });
      expect(a.ok ? a.value.outcome : a.error!.code, JSON.stringify(a)).toMatch(/^(disk_full|rejected)$/);
      if (a.ok) recorded = a;
    }
    expect(recorded?.value).toMatchObject({
      outcome: 'rejected',
      reason: 'disk_full',
      message: expect.stringMatching(sentence),
    });

    rmSync(filler);
    const after = await s.call('scan.submit', { code: 'CHILD9999' });
    expect(after).toMatchObject({ ok: true, value: { outcome: 'linked' } });
    const db = new Database(join(dir, 'station.db'), { readonly: true });
    const rows = db.prepare(`select code, outcome from scans where reason = 'disk_full'`).all();
    db.close();
    expect(rows).toEqual([{ code: recorded!.value.code, outcome: 'rejected' }]);
  });
});
