import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultDataDir } from '../app/data-dir.ts';
import { main } from './main.ts';

/** Runs `baglink` in-process with captured output and the given standard input. */
async function run(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    out: (l) => out.push(l),
    err: (l) => err.push(l),
    stdin: Readable.from([stdin]),
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('the baglink command', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'baglink-cli-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('migrates, adds the first admin from stdin, and reports status as JSON', async () => {
    expect((await run(['migrate', '--data-dir', dir])).out).toMatch(/up to date \(\d+ migrations applied\)/);
    const dock = await run(
      ['user', 'add', '--data-dir', dir, '--username', 'ravi', '--role', 'dock', '--password-stdin'],
      'long password\n',
    );
    expect(dock.code).toBe(2);
    expect(dock.err).toMatch(/first user must be an admin/);
    const admin = await run(
      ['user', 'add', '--data-dir', dir, '--username', 'Admin', '--role', 'admin', '--password-stdin'],
      'long password\n',
    );
    expect(admin).toMatchObject({ code: 0, out: expect.stringContaining('Added admin admin') });
    const status = await run(['status', '--json', '--data-dir', dir]);
    // An admin stays on its station (the centre takes admins only from IT): nothing waits in the outbox.
    expect(JSON.parse(status.out)).toMatchObject({ users: 1, dataDir: dir, outbox: { depth: 0 } });
  });

  it('answers mistakes with one sentence and a non-zero exit code', async () => {
    expect(await run(['fly'])).toMatchObject({ code: 2, err: expect.stringMatching(/no command "fly"/) });
    expect(await run(['user', 'add', '--data-dir', dir, '--username', 'x', '--role', 'admin'])).toMatchObject(
      {
        code: 2,
        err: expect.stringMatching(/--password-stdin/),
      },
    );
    expect(await run(['user', 'add', '--data-dir', dir, '--username', 'x', '--role', 'boss'])).toMatchObject({
      code: 2,
    });
    expect(
      await run(
        ['user', 'add', '--data-dir', dir, '--username', 'admin', '--role', 'admin', '--password-stdin'],
        'short',
      ),
    ).toMatchObject({
      code: 2,
      err: expect.stringMatching(/at least 8 characters/),
    });
    expect(await run(['status', '--bogus'])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/^Unknown option '--bogus' \(usage: baglink status .*\)\.$/),
    });
    expect(await run(['seed-demo', '--data-dir', dir])).toMatchObject({
      code: 2,
      err: expect.stringMatching(/--bags N/),
    });
    const missing = await run(['lookup', 'SB00001', '--data-dir', dir]);
    expect(missing).toMatchObject({ code: 1, out: expect.stringMatching(/no such bag/) });
  });

  it('seeds demo data that lookup then shows', async () => {
    const seeded = await run(['seed-demo', '--bags', '310', '--data-dir', dir]);
    expect(seeded.code, seeded.err).toBe(0);
    expect(seeded.out).toMatch(/Seeded 10 parents, 300 children/);
    const story = await run(['lookup', 'sb00000', '--json', '--data-dir', dir]);
    const parsed = JSON.parse(story.out) as { bag: { kind: string }; children: unknown[] };
    expect(parsed.bag.kind).toBe('parent');
    expect(parsed.children).toHaveLength(30);
    expect((await run(['seed-demo', '--bags', '310', '--data-dir', dir])).code).toBe(2);
  });

  it('uses the platform app data folder unless told otherwise', () => {
    expect(defaultDataDir({ BAGLINK_DATA_DIR: '/srv/bl' }, 'linux')).toBe('/srv/bl');
    expect(defaultDataDir({ XDG_CONFIG_HOME: '/x' }, 'linux')).toBe(join('/x', 'baglink-station'));
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\a\\AppData\\Roaming' }, 'win32')).toContain(
      'baglink-station',
    );
  });
});
