import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type Database from 'better-sqlite3';

const bin = fileURLToPath(new URL('../../bin/baglink.js', import.meta.url));
const token = 'bench-token-0123456789abcdef';

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { rssMb: Math.round(kb('VmRSS') / 1024), peakMb: Math.round(kb('VmHWM') / 1024) };
}

/**
 * The station's memory as IT sees it: a real `baglink serve` process on the seeded database, after a shift's
 * worth of lookups and scans over HTTP. Linux only (reads /proc).
 */
export async function measureStationRss(
  dataDir: string,
  db: Database.Database,
  lookups: number,
  scans: number,
) {
  const maxRow = (db.prepare(`select max(rowid) as n from bags`).get() as { n: number }).n;
  const byRow = db.prepare(`select code from bags where rowid = ?`);
  const codes = Array.from(
    { length: lookups },
    () =>
      (byRow.get(1 + Math.floor(Math.random() * maxRow)) as { code: string } | undefined)?.code ?? 'SB00000',
  );
  const child = spawn(
    process.execPath,
    [bin, 'serve', '--data-dir', dataDir, '--port', '0', '--only-configured'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
      // The bench measures the station, not a Vite build of the screens running beside it.
      env: { ...process.env, BAGLINK_TOKEN: token, BAGLINK_SKIP_RENDERER_BUILD: '1' },
    },
  );
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (c: Buffer) => {
        out += c.toString();
        const m = /running at (http:\/\/\S+)/.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => reject(new Error(`baglink serve exited with ${code}`)));
    });
    const call = async (method: string, args: unknown) => {
      const res = await fetch(`${url}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(args),
      });
      return (await res.json()) as { ok: boolean };
    };
    const afterStart = memoryOf(child.pid!);
    await call('auth.login', { username: 'meena', password: 'demo-password' });
    for (const code of codes) await call('bags.lookup', { code });
    await call('scan.submit', { code: 'M444-99999' });
    for (let i = 0; i < scans; i++) await call('scan.submit', { code: `RSS${i}X` });
    await call('stats.dashboard', {});
    return {
      what: '`baglink serve` process on the seeded database',
      afterStart,
      afterWork: memoryOf(child.pid!),
      lookups,
      scans,
    };
  } finally {
    child.kill('SIGKILL');
  }
}
