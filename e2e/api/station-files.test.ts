import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  rmSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baglink, serve } from '../../src-main/bench/serve-process.ts';

const markers = (dir: string) => readdirSync(dir).filter((f) => f.startsWith('.station-open-'));
const adminPassword = 'a-long-password\n';

/** A station set up the way a person does it: migrate, the first admin, some demo bags. */
function setUp(dir: string, bags = 0): void {
  expect(baglink(['migrate', '--data-dir', dir]).code).toBe(0);
  if (bags) expect(baglink(['seed-demo', '--bags', String(bags), '--data-dir', dir]).code).toBe(0);
  else {
    const add = ['user', 'add', '--username', 'admin', '--role', 'admin', '--password-stdin'];
    expect(baglink([...add, '--data-dir', dir], adminPassword).code).toBe(0);
  }
}

describe('only the set-up commands create a station', () => {
  let root: string;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'baglink-files-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const readOnly = (dir: string) => [
    ['status', '--data-dir', dir],
    ['lookup', 'SB00001', '--data-dir', dir],
    ['export', 'bill', 'DN-1', '--format', 'csv', '--out', join(root, 'x.csv'), '--data-dir', dir],
  ];

  it('read-only commands on a mistyped folder say there is no station, exit non-zero and create nothing', () => {
    const typo = join(root, 'statoin');
    const empty = join(root, 'empty');
    mkdirSync(empty);
    for (const dir of [typo, empty]) {
      for (const args of readOnly(dir)) {
        const r = baglink(args);
        expect(r.code, args.join(' ')).not.toBe(0);
        expect(r.stderr.trim()).toBe(
          `There is no station in ${dir}: check --data-dir (or BAGLINK_DATA_DIR), or set a station up with "baglink migrate".`,
        );
      }
    }
    expect(existsSync(typo)).toBe(false);
    expect(readdirSync(empty)).toEqual([]);
  });

  it('an empty station.db is refused by every command, set-up ones included, and left as it was', async () => {
    const dir = join(root, 'zero');
    mkdirSync(dir);
    writeFileSync(join(dir, 'station.db'), '');
    const add = [
      'user',
      'add',
      '--username',
      'admin',
      '--role',
      'admin',
      '--password-stdin',
      '--data-dir',
      dir,
    ];
    for (const r of [
      baglink(['status', '--data-dir', dir]),
      baglink(['migrate', '--data-dir', dir]),
      baglink(add, adminPassword),
    ]) {
      expect(r.code).not.toBe(0);
      expect(r.stderr).toMatch(
        /station\.db is empty or cut short \(0 bytes\), so it was not opened or replaced/,
      );
    }
    await expect(serve(dir)).rejects.toThrow(/empty or cut short/);
    expect(statSync(join(dir, 'station.db')).size).toBe(0);
  });

  it('a station.db cut short is refused, not taken for a new station', async () => {
    const dir = join(root, 'cut');
    setUp(dir, 3100);
    const db = join(dir, 'station.db');
    truncateSync(db, Math.floor(statSync(db).size / 2 / 4096) * 4096);
    const r = baglink(['status', '--json', '--data-dir', dir]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/is empty or cut short \(\d+ bytes\)/);
    expect(r.stderr).toMatch(/restore a backup/);
    await expect(serve(dir)).rejects.toThrow(/cut short/);
  });
});

describe('after an unclean shutdown the next start checks the whole database', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'baglink-unclean-'));
    setUp(dir, 3100);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('a clean stop leaves no marker; kill -9 leaves one, a sound database then opens and the marker goes', async () => {
    const clean = await serve(dir);
    expect(markers(dir)).toHaveLength(1);
    await clean.stop('SIGTERM');
    expect(markers(dir)).toEqual([]);

    const killed = await serve(dir);
    await killed.stop('SIGKILL');
    expect(markers(dir)).toHaveLength(1);
    const r = baglink(['status', '--json', '--data-dir', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(markers(dir)).toEqual([]);
  });

  it('a damaged database is refused with what to do, not "malformed ... try again"', async () => {
    const killed = await serve(dir);
    await killed.stop('SIGKILL');
    // Scribble over the b-tree pages of the second half of the file, as a failing disk would.
    const db = join(dir, 'station.db');
    const pages = statSync(db).size / 4096;
    const fd = openSync(db, 'r+');
    for (let page = Math.floor(pages / 2); page < pages; page += 3) {
      writeSync(fd, Buffer.alloc(64, 0xa5), 0, 64, page * 4096);
    }
    closeSync(fd);
    for (const args of [['status'], ['lookup', 'SB00001']]) {
      const r = baglink([...args, '--data-dir', dir]);
      expect(r.code).not.toBe(0);
      expect(r.stderr.trim()).toMatch(
        /^The station database .*station\.db is damaged \(.+\), so the station will not use it: restore a backup \("baglink restore FILE"\) or recover the station from the centre/,
      );
      expect(r.stderr).not.toMatch(/try again/);
    }
    await expect(serve(dir)).rejects.toThrow(/is damaged/);
    expect(markers(dir)).toHaveLength(1);
  });
});
