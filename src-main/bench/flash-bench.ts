import { summarize } from './stats.ts';

export interface FlashBenchOptions {
  /** Reads to time, parents and children mixed as on the dock (default 200). */
  samples?: number;
  log?: (line: string) => void;
}

type FlashElement = { dataset: Record<string, string | undefined> };
type PageDocument = { querySelector(selector: string): FlashElement | null };

/**
 * Runs in the page (passed as a function: the station's CSP refuses strings to eval). Answers the flash's read
 * id and paint time once it answers a read other than `previous`.
 */
function flashAfter(previous: string) {
  const page = globalThis as unknown as { document: PageDocument };
  const flash = page.document.querySelector('[data-testid="flash"]');
  if (!flash || flash.dataset.scanId === previous || !flash.dataset.paintedAt) return null;
  return { scanId: flash.dataset.scanId ?? '', paintedAt: Number(flash.dataset.paintedAt) };
}

/**
 * Scan -> colour flash painted (budget p99 <= 100 ms): a line written into a socat pty (the scanner) until the
 * flash for that read has been painted in Chromium, against `baglink serve` with the real renderer build. Both
 * ends are wall-clock times with sub-millisecond resolution (Node's and the page's performance.timeOrigin +
 * performance.now()); the page stamps the flash from the frame after React committed it. Never fails on a time.
 */
export async function measureFlash(options: FlashBenchOptions = {}) {
  const samples = options.samples ?? 200;
  const log = options.log ?? (() => {});
  // Loaded only when this bench runs: playwright-core and Chromium stay out of the station's bundle.
  const { people, startWebStation } = await import('./web-station.ts');
  const station = await startWebStation();
  try {
    const { page, served } = station;
    const login = await served.call('auth.login', {
      username: people.supervisor.username,
      password: people.supervisor.password,
    });
    if (!login.ok) throw new Error(`flash bench: login failed: ${login.error?.message}`);
    await page.getByTestId('screen-scan').waitFor({ timeout: 30_000 });
    await page.getByTestId('scanner-pill').filter({ hasText: '1/1' }).waitFor({ timeout: 30_000 });
    const latencies: number[] = [];
    let previous = '';
    for (let i = 0; i < samples; i++) {
      // 1 parent then 29 children, so no parent ever fills and every read is a plain ok or a new parent.
      const parentNo = Math.floor(i / 30);
      const code =
        i % 30 === 0 ? `SB${String(90000 + parentNo).padStart(5, '0')}` : `FB${String(i).padStart(6, '0')}`;
      const writtenAt = performance.timeOrigin + performance.now();
      station.scan(code);
      const handle = await page.waitForFunction(flashAfter, previous, { timeout: 30_000, polling: 'raf' });
      const flash = (await handle.jsonValue())!;
      previous = flash.scanId;
      latencies.push(flash.paintedAt - writtenAt);
    }
    log(`flash bench: ${samples} reads timed`);
    return {
      bench: 'scan-to-flash',
      what: 'pty line written -> serial read -> scan committed -> onScanResult over WebSocket -> flash painted',
      readToFlashMs: summarize(latencies),
      budget: { p99Ms: 100 },
    };
  } finally {
    await station.close();
  }
}
