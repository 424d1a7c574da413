import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { baglink, baglinkBin } from '../../src-main/bench/serve-process.ts';

/** Where `baglink serve` takes its token from, and the tokens it refuses before it starts. */
describe('baglink serve: the API token', () => {
  let dataDir: string;
  const stops: (() => void)[] = [];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'baglink-token-'));
  });
  afterEach(() => {
    for (const stop of stops.splice(0)) stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const serveArgs = () => ['serve', '--data-dir', dataDir, '--port', '0', '--only-configured'];

  /** Starts serve and waits for its address; the process is killed after the test. */
  async function started(args: string[], env: NodeJS.ProcessEnv = {}) {
    const child = spawn(process.execPath, [baglinkBin, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, BAGLINK_TOKEN: undefined, ...env },
    });
    stops.push(() => child.kill('SIGKILL'));
    let output = '';
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        const m = /running at (http:\/\/127\.0\.0\.1:\d+)[\s\S]*Open the screens/.exec(output);
        if (m) resolve(m[1]!);
      });
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.once('exit', (code) => reject(new Error(`serve exited with ${code}: ${output}`)));
    });
    return { child, url, output: () => output };
  }

  const whoami = (url: string, token: string) =>
    fetch(`${url}/api/auth.whoami`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    }).then((r) => r.status);

  it('refuses --token on the command line with one sentence and exit 2, and does not start', () => {
    const r = baglink([...serveArgs(), '--token', 'a-long-enough-station-token']);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/process list.*BAGLINK_TOKEN.*--token-file/);
    expect(r.stdout).not.toMatch(/running at/);
  });

  it.each([
    ['a space', 'a-long-station-token with-a-space'],
    ['a tab', 'a-long-station-token\twith-a-tab'],
    ['a control character', 'a-long-station-token\u0001x'],
    ['too short', 'short'],
  ])('refuses a BAGLINK_TOKEN with %s, before starting', (_what, token) => {
    const r = baglink(serveArgs(), undefined, { BAGLINK_TOKEN: token });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no spaces or control characters/);
    expect(r.stdout).not.toMatch(/running at/);
  });

  it('takes the token from BAGLINK_TOKEN and keeps it out of its command line and output', async () => {
    const token = 'env-token-0123456789abcdef';
    const s = await started(serveArgs(), { BAGLINK_TOKEN: token });
    expect(await whoami(s.url, token)).toBe(200);
    expect(await whoami(s.url, 'env-token-wrong-0123456789')).toBe(401);
    expect(readFileSync(`/proc/${s.child.pid}/cmdline`, 'utf8')).not.toContain(token);
    expect(s.output()).not.toContain(token);
  });

  it('takes the token from an owner-only --token-file, and refuses one others can read', async () => {
    const file = join(dataDir, 'token');
    writeFileSync(file, 'file-token-0123456789abcdef\n', { mode: 0o644 });
    chmodSync(file, 0o644);
    const open = baglink([...serveArgs(), '--token-file', file]);
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/can be read by other users: run "chmod 600/);

    const missing = baglink([...serveArgs(), '--token-file', join(dataDir, 'nope')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/cannot be read \(ENOENT\)/);

    chmodSync(file, 0o600);
    const s = await started([...serveArgs(), '--token-file', file]);
    expect(await whoami(s.url, 'file-token-0123456789abcdef')).toBe(200);
  });

  it('generates and prints a token when given none', async () => {
    const s = await started(serveArgs());
    const token = /API token: (\S+)/.exec(s.output())?.[1];
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    expect(await whoami(s.url, token!)).toBe(200);
  });
});
