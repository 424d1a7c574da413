import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDesktopLog } from './logging.ts';
import { RotatingFile } from './rotating-file.ts';

let dir: string;
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'baglink-log-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('log file', () => {
  it('rolls over by size and keeps only the configured number of old files', () => {
    const path = join(dir, 'station.log');
    const file = new RotatingFile({ path, maxBytes: 100, keep: 2 });
    for (let i = 0; i < 10; i++) file.write(`${String(i).padStart(2, '0')} ${'x'.repeat(46)}\n`);
    file.close();
    expect(readFileSync(path, 'utf8')).toMatch(/^08 .*\n09 .*\n$/);
    expect(readFileSync(`${path}.1`, 'utf8')).toMatch(/^06 .*\n07 .*\n$/);
    expect(readFileSync(`${path}.2`, 'utf8')).toMatch(/^04 /);
    expect(existsSync(`${path}.3`)).toBe(false);
    expect(file.write('after close\n')).toBe(false);
  });

  it('writes JSON lines to logs/station.log in the data folder', () => {
    const log = openDesktopLog(dir);
    log.line('app: started');
    log.logger.warn({ port: '/dev/ttyACM0' }, 'scanner lost');
    log.close();
    const lines = readFileSync(join(dir, 'logs', 'station.log'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines[0]).toMatchObject({ level: 30, msg: 'app: started', app: 'baglink-station' });
    expect(lines[1]).toMatchObject({ level: 40, msg: 'scanner lost', port: '/dev/ttyACM0' });
    expect(typeof lines[0].time).toBe('string');
  });
});

describe('log files are owner-only whatever the umask', () => {
  it('makes logs/ 0700 and station.log and its rolled-over files 0600, also one an older version left 0644', () => {
    const before = process.umask(0);
    try {
      const log = openDesktopLog(dir, { maxBytes: 200, keep: 2 });
      for (let i = 0; i < 20; i++) log.line(`line ${i}`);
      log.close();
      const folder = join(dir, 'logs');
      expect(statSync(folder).mode & 0o777).toBe(0o700);
      for (const name of readdirSync(folder))
        expect(statSync(join(folder, name)).mode & 0o777, name).toBe(0o600);
      chmodSync(join(folder, 'station.log'), 0o644);
      openDesktopLog(dir).close();
      expect(statSync(join(folder, 'station.log')).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(before);
    }
  });
});
