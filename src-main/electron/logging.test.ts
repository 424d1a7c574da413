import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
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
