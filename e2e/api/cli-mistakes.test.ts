import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baglink } from '../../src-main/bench/serve-process.ts';

/**
 * Mistakes at the keyboard, run as the real `baglink` process: each is one sentence on standard error and exit 2,
 * before any work starts (no seed that runs and then fails), and none hangs (spawnSync gives up after a minute).
 */
describe('baglink: every mistake is one sentence and exit 2', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'baglink-mistakes-'));
    writeFileSync(join(dir, 'a-file'), 'not a folder');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const oneSentence = (args: string[], pattern: RegExp) => {
    const r = baglink(args);
    expect([args.join(' '), r.code]).toEqual([args.join(' '), 2]);
    const lines = r.stderr.trim().split('\n');
    expect(lines, r.stderr).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
    return r;
  };

  it.each([
    [['bench', '--bags', 'abc'], /^--bags takes a whole number of at least 31, not "abc"/],
    [['bench', '--bags', '1.5'], /^--bags takes a whole number/],
    [['bench', '--samples', '0'], /^--samples takes a whole number of at least 1/],
    [['bench', '--central', 'private', '--stations', 'x'], /^--stations takes a whole number/],
    [['seed-demo', '--bags', 'abc'], /^--bags takes a whole number/],
    [['seed-demo', '--bags', '310', '--days', 'two'], /^--days takes a whole number/],
    [['bench', '--bags', '-5'], /^Option '--bags' argument is ambiguous \(usage: baglink bench/],
    [['status', '--bogus'], /^Unknown option '--bogus' \(usage: baglink status/],
    [['serve', '--port', ''], /^--port takes a whole number/],
    [['serve', '--port', '70000'], /^--port takes a number from 0 to 65535/],
  ])('%j', (args, pattern) => {
    const r = oneSentence([...args, '--data-dir', join(dir, 'station')], pattern);
    expect(r.stdout).toBe('');
  });

  it('a data folder that cannot be one: /proc/nope does not hang, a file in the way is named', () => {
    // Read-only commands never make a station: a missing one is named.
    oneSentence(['status', '--data-dir', '/proc/nope'], /^There is no station in \/proc\/nope/);
    oneSentence(['lookup', 'SB00001', '--data-dir', '/proc/nope/deeper'], /^There is no station in/);
    // Commands that set a station up make the folder one level at a time (Node's recursive mkdir never
    // returned on /proc/nope).
    oneSentence(['migrate', '--data-dir', '/proc/nope'], /^The data folder \/proc\/nope cannot be used/);
    oneSentence(['migrate', '--data-dir', join(dir, 'a-file')], /cannot be used \(a file is in the way\)/);
    oneSentence(
      ['migrate', '--data-dir', join(dir, 'a-file', 'x')],
      /cannot be used \(a file is in the way\)/,
    );
    oneSentence(['migrate', '--data-dir', '/proc'], /^The data folder \/proc cannot be used/);
  });
});
