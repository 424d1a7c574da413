import { spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baglink, baglinkBin, serve } from '../../src-main/bench/serve-process.ts';

const modeOf = (path: string) => statSync(path).mode & 0o777;
const password = 'a-long-password';

/** What `baglink serve` says on standard error before it runs, then it is stopped. */
async function serveWarnings(dir: string): Promise<string> {
  const args = [baglinkBin, 'serve', '--data-dir', dir, '--port', '0', '--only-configured'];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (c: Buffer) => {
      if (c.toString().includes('running at')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${err}`)));
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
  return err;
}

describe('every file the station writes is owner-only, whatever the umask', () => {
  let root: string;
  let umask: number;
  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'baglink-modes-'));
    // Child processes inherit it: the most permissive umask there is.
    umask = process.umask(0);
  });
  afterAll(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('a new station: folders 0700; station.db, -wal, -shm and the open-marker 0600 while it runs', async () => {
    const dir = join(root, 'new', 'station');
    expect(baglink(['migrate', '--data-dir', dir]).code).toBe(0);
    const add = ['user', 'add', '--username', 'admin', '--role', 'admin', '--password-stdin'];
    expect(baglink([...add, '--data-dir', dir], `${password}\n`).code).toBe(0);
    expect(modeOf(join(root, 'new'))).toBe(0o700);
    expect(modeOf(dir)).toBe(0o700);
    const s = await serve(dir);
    try {
      expect((await s.call('auth.login', { username: 'admin', password })).ok).toBe(true);
      expect((await s.call('scan.submit', { code: 'SB00001' })).ok).toBe(true);
      const files = readdirSync(dir);
      expect(files).toEqual(expect.arrayContaining(['station.db', 'station.db-wal', 'station.db-shm']));
      for (const name of files) expect(modeOf(join(dir, name)), name).toBe(0o600);
    } finally {
      await s.stop();
    }
  });

  it('a station an older version left 0644 becomes 0600 when it is next opened', () => {
    const dir = join(root, 'old');
    expect(baglink(['migrate', '--data-dir', dir]).code).toBe(0);
    chmodSync(join(dir, 'station.db'), 0o644);
    expect(baglink(['status', '--data-dir', dir]).code).toBe(0);
    expect(modeOf(join(dir, 'station.db'))).toBe(0o600);
  });

  it('a data folder other users can read gets a warning at start; an owner-only one none', async () => {
    const dir = join(root, 'shared');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    expect(baglink(['migrate', '--data-dir', dir]).code).toBe(0);
    expect(await serveWarnings(dir)).toContain(
      `The data folder ${dir} can be read by other users of this PC (mode 755): run "chmod 700 ${dir}".`,
    );
    expect(modeOf(join(dir, 'station.db'))).toBe(0o600);
    chmodSync(dir, 0o700);
    expect(await serveWarnings(dir)).not.toContain('can be read by other users');
  });
});
